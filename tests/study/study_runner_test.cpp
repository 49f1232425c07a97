// The study's cells: tokens and dependencies, cache keys, and the runner — order, reuse of finished
// cells, failures skipping what depends on them, and a study killed mid-cell resuming.
#include "stride/study/study_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/measure/machine_info.h"
#include "stride/study/child_process.h"
#include "stride/study/local_executor.h"

namespace stride::study {
namespace {

namespace fs = std::filesystem;

TEST(StudyCell, ListsDependenciesOnceInOrder) {
  const CellSpec c{"eval/x", "", {"eval", "{train/x}/model.onnx", "--data", "{data}/d", "{train/x}/again", "{out}/r"}};
  EXPECT_EQ(dependencies(c), (std::vector<std::string>{"train/x", "data"}));
  EXPECT_EQ(resolve_tokens("{a}/m-{out}", "/o", [](const std::string& id) { return "/c/" + id; }), "/c/a/m-/o");
  EXPECT_THROW(resolve_tokens("{a", ".", [](const std::string&) { return ""; }), Error);
  EXPECT_THROW(resolve_tokens("{}", ".", [](const std::string&) { return ""; }), Error);
}

TEST(StudyCell, RefusesDuplicatesAndForwardReferences) {
  EXPECT_NO_THROW(check_cells({{"a", "", {"x"}}, {"b", "", {"{a}"}}}));
  EXPECT_THROW(check_cells({{"b", "", {"{a}"}}, {"a", "", {"x"}}}), Error);
  EXPECT_THROW(check_cells({{"a", "", {"x"}}, {"a", "", {"y"}}}), Error);
  EXPECT_THROW(check_cells({{"a", "", {}}}), Error);
}

TEST(CellCache, KeyChangesWithTheCommandAndWithWhatItReads) {
  const CellSpec c{"a", "", {"bench", "m.onnx", "--runs", "10"}};
  const std::string k = CellCache::key(c, {"0123"});
  EXPECT_EQ(k.size(), 16u);
  EXPECT_EQ(k, CellCache::key(c, {"0123"}));
  EXPECT_NE(k, CellCache::key(c, {"0124"}));
  CellSpec d = c;
  d.args.back() = "20";
  EXPECT_NE(k, CellCache::key(d, {"0123"}));
  // Arguments are separated in the key: ("ab","c") is not ("a","bc").
  EXPECT_NE(CellCache::key({"a", "", {"ab", "c"}}, {}), CellCache::key({"a", "", {"a", "bc"}}, {}));
}

// A stand-in for the `stride` binary: appends its arguments to $FAKE_LOG, then
//   fail ...  → says why on stderr, exit 3
//   slow ...  → sleeps 30 s the first time ($FAKE_LOG.slept marks it), then as below
//   nap ...   → writes the time it starts and ends (in ns) around a 0.4 s sleep, then as below
//   otherwise → writes result.json {"n": <lines in the log>} and model.onnx in its folder.
class StudyRunner : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("stride-study-" + std::to_string(getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    program_ = root_ / "fake-stride";
    log_ = root_ / "calls.log";
    write_file_atomically(program_,
                          "#!/bin/sh\n"
                          "echo \"$*\" >> \"$FAKE_LOG\"\n"
                          "if [ \"$1\" = fail ]; then echo 'stride: error: boom' >&2; exit 3; fi\n"
                          "if [ \"$1\" = slow ] && [ ! -e \"$FAKE_LOG.slept\" ]; then touch \"$FAKE_LOG.slept\"; "
                          "sleep 30; fi\n"
                          "if [ \"$1\" = nap ]; then date +%s%N > started; sleep 0.4; date +%s%N > ended; "
                          "grep Cpus_allowed_list /proc/self/status > cpus; fi\n"
                          "n=$(wc -l < \"$FAKE_LOG\")\n"
                          "echo \"{\\\"n\\\": $n, \\\"args\\\": \\\"$*\\\"}\" > result.json\n"
                          "echo model > model.onnx\n");
    fs::permissions(program_, fs::perms::owner_all);
    setenv("FAKE_LOG", log_.c_str(), 1);
  }
  void TearDown() override { fs::remove_all(root_); }

  size_t calls() const {
    std::ifstream in(log_);
    size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }
  std::vector<CellOutcome> run(const std::vector<CellSpec>& cells, bool compute = true, Executor* executor = nullptr) {
    return run_cells(cells, CellCache(root_ / "cells"), {program_, {}, compute, executor});
  }

  fs::path root_, program_, log_;
};

TEST_F(StudyRunner, RunsInOrderPassesFoldersAndReusesFinishedCells) {
  const std::vector<CellSpec> cells = {{"make", "", {"make", "{out}/model.onnx"}},
                                       {"use/it", "", {"use", "{make}/model.onnx"}}};
  const std::vector<CellOutcome> first = run(cells);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].state, CellOutcome::State::computed);
  EXPECT_EQ(first[1].state, CellOutcome::State::computed);
  EXPECT_EQ(first[0].result["n"], 1);
  EXPECT_EQ(first[1].result["n"], 2);
  // The second cell was given the first one's (final) folder, absolute; its own files stay in its folder.
  EXPECT_EQ(first[1].command.back(), fs::absolute(first[0].folder).string() + "/model.onnx");
  EXPECT_TRUE(fs::exists(first[0].folder / "model.onnx"));
  EXPECT_TRUE(fs::exists(first[1].folder / "cell.json"));

  const std::vector<CellOutcome> again = run(cells);
  EXPECT_EQ(calls(), 2u) << "finished cells must not run again";
  EXPECT_EQ(again[0].state, CellOutcome::State::cached);
  EXPECT_EQ(again[1].state, CellOutcome::State::cached);
  EXPECT_EQ(again[1].result, first[1].result);

  // A changed option upstream gives new folders to that cell and to every cell reading it.
  std::vector<CellSpec> changed = cells;
  changed[0].args.push_back("--seed=2");
  const std::vector<CellOutcome> third = run(changed);
  EXPECT_EQ(third[0].state, CellOutcome::State::computed);
  EXPECT_EQ(third[1].state, CellOutcome::State::computed);
  EXPECT_NE(third[1].folder, first[1].folder);
}

// A finished cell whose file was damaged since (a truncated model.onnx) no longer matches the hash
// its record holds: the next run computes it again instead of failing every cell that reads it.
TEST_F(StudyRunner, ADamagedFileInAFinishedCellIsComputedAgain) {
  const std::vector<CellSpec> cells = {{"make", "", {"make", "{out}/model.onnx"}},
                                       {"use/it", "", {"use", "{make}/model.onnx"}}};
  const std::vector<CellOutcome> first = run(cells);
  ASSERT_EQ(first[0].state, CellOutcome::State::computed);
  const CellCache cache(root_ / "cells");
  EXPECT_TRUE(cache.complete(first[0].folder));
  write_file_atomically(first[0].folder / "model.onnx", "mod");  // truncated
  EXPECT_FALSE(cache.complete(first[0].folder));

  const std::vector<CellOutcome> again = run(cells);
  EXPECT_EQ(again[0].state, CellOutcome::State::computed);
  EXPECT_EQ(again[1].state, CellOutcome::State::cached);  // its own files are intact
  EXPECT_EQ(read_file(first[0].folder / "model.onnx"), "model\n");
  EXPECT_EQ(calls(), 3u);
  EXPECT_TRUE(cache.complete(first[0].folder));
}

TEST_F(StudyRunner, AFailedCellSkipsWhatReadsItAndLeavesTheRest) {
  const std::vector<CellOutcome> o = run({{"bad", "", {"fail", "{out}"}},
                                          {"after-bad", "", {"use", "{bad}/model.onnx"}},
                                          {"independent", "", {"make", "{out}"}}});
  EXPECT_EQ(o[0].state, CellOutcome::State::failed);
  EXPECT_NE(o[0].message.find("exit code 3: stride: error: boom"), std::string::npos) << o[0].message;
  EXPECT_EQ(o[1].state, CellOutcome::State::skipped);
  EXPECT_NE(o[1].message.find("needs bad"), std::string::npos);
  EXPECT_EQ(o[2].state, CellOutcome::State::computed);
  EXPECT_FALSE(fs::exists(o[0].folder)) << "a failed cell is never taken for finished";
  EXPECT_EQ(run({{"bad", "", {"fail", "{out}"}}})[0].state, CellOutcome::State::failed) << "and runs again next time";
}

TEST_F(StudyRunner, AStudyKilledInACellResumesFromItsCache) {
  const std::vector<CellSpec> cells = {
      {"first", "", {"make", "{out}"}}, {"second", "", {"slow", "{first}"}}, {"third", "", {"make", "{second}"}}};
  const pid_t study = fork();
  ASSERT_GE(study, 0);
  if (study == 0) {
    try {
      run(cells);
    } catch (...) {
    }
    _exit(0);
  }
  // Kill the study while the second cell sleeps: the first cell is finished, the second partial.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!fs::exists(log_.string() + ".slept") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(fs::exists(log_.string() + ".slept"));
  kill(study, SIGKILL);
  int status = 0;
  waitpid(study, &status, 0);
  size_t partial = 0;
  for (const auto& e : fs::directory_iterator(root_ / "cells")) partial += e.path().string().ends_with(".partial");
  EXPECT_EQ(partial, 1u);

  const std::vector<CellOutcome> resumed = run(cells);
  EXPECT_EQ(resumed[0].state, CellOutcome::State::cached);
  EXPECT_EQ(resumed[1].state, CellOutcome::State::computed);
  EXPECT_EQ(resumed[2].state, CellOutcome::State::computed);
  for (const auto& e : fs::directory_iterator(root_ / "cells")) EXPECT_FALSE(e.path().string().ends_with(".partial"));
  // The cells run: first, second (killed), second again, third.
  EXPECT_EQ(calls(), 4u);
}

TEST_F(StudyRunner, ReportOnlyReadsFinishedCellsAndTouchesNothing) {
  const std::vector<CellSpec> cells = {{"done", "", {"make", "{out}"}}, {"later", "", {"make", "{done}"}}};
  run({cells[0]});
  const CellCache cache(root_ / "cells");
  const auto running = cache.begin(cache.folder(cells[1], "0000000000000000"));  // another study's cell
  const std::vector<CellOutcome> o = run(cells, false);
  EXPECT_EQ(o[0].state, CellOutcome::State::cached);
  EXPECT_EQ(o[0].result["n"], 1);
  EXPECT_EQ(o[1].state, CellOutcome::State::skipped);
  EXPECT_EQ(calls(), 1u);
  EXPECT_TRUE(fs::exists(running->folder())) << "a partial folder may be a running study's";
}

// Cells computed elsewhere at the same time (Slurm jobs sharing the folder) hold their partial
// folders: a study starting then removes only the leftovers of killed runs, and cannot compute a
// held cell a second time.
TEST_F(StudyRunner, APartialFolderBeingComputedIsNeitherRemovedNorComputedTwice) {
  const CellCache cache(root_ / "cells");
  const CellSpec held{"held", "", {"make", "{out}"}}, left{"left", "", {"make", "{out}"}};
  const auto computing = cache.begin(cache.folder(held, "1111111111111111"));
  { const auto killed = cache.begin(cache.folder(left, "2222222222222222")); }  // its process ended
  EXPECT_THROW(cache.begin(cache.folder(held, "1111111111111111")), Error);
  EXPECT_EQ(cache.remove_partial_folders(), 1u);
  EXPECT_TRUE(fs::exists(computing->folder()));
  EXPECT_FALSE(fs::exists(CellCache::partial_folder(cache.folder(left, "2222222222222222"))));
}

TEST_F(StudyRunner, EachCellRecordsTheMachineItRanOnAndTimingCellsHowTheyShared) {
  CellSpec timed{"timed", "", {"make", "{out}"}};
  timed.measures_time = true;
  const std::vector<CellOutcome> o = run({{"plain", "", {"make", "{out}"}}, timed});
  const MachineInfo here = machine_info();
  for (const CellOutcome& c : o) {
    const nlohmann::json record = nlohmann::json::parse(read_file(c.folder / "cell.json"));
    EXPECT_EQ(record["machine"]["host"], here.hostname) << c.id;
    EXPECT_EQ(record["machine"]["cpu"], here.cpu_model) << c.id;
    EXPECT_GE(record["machine"]["cores"].get<int>(), 1);
  }
  EXPECT_FALSE(o[0].record["machine"].contains("timing"));
  EXPECT_EQ(o[1].record["machine"]["timing"], "alone");
}

// What a Slurm job runs: one cell, after the cells it reads are complete, no study lock taken.
TEST_F(StudyRunner, ASingleCellRunsOnlyAfterWhatItReadsAndOnlyOnce) {
  const std::vector<CellSpec> cells = {{"make", "", {"make", "{out}/model.onnx"}},
                                       {"use", "", {"use", "{make}/model.onnx"}}};
  const CellCache cache(root_ / "cells");
  const auto study_lock = cache.lock_for_writing();  // the submitting study holds it while it waits
  EXPECT_THROW(run_single_cell(cells, cache, "use", program_, "exclusive node"), Error);
  EXPECT_THROW(run_single_cell(cells, cache, "nothing", program_, "exclusive node"), Error);
  EXPECT_EQ(run_single_cell(cells, cache, "make", program_, "exclusive node").state, CellOutcome::State::computed);
  const CellOutcome use = run_single_cell(cells, cache, "use", program_, "exclusive node");
  EXPECT_EQ(use.state, CellOutcome::State::computed);
  EXPECT_EQ(use.result["n"], 2);
  EXPECT_EQ(run_single_cell(cells, cache, "use", program_, "exclusive node").state, CellOutcome::State::cached);
  EXPECT_EQ(calls(), 2u);
}

TEST_F(StudyRunner, OneStudyAtATimeComputesInAFolder) {
  const CellCache cache(root_ / "cells");
  const auto held = cache.lock_for_writing();
  // flock locks belong to the open file: a second open, as another process makes, is refused.
  EXPECT_THROW(run({{"a", "", {"make", "{out}"}}}), Error);
  EXPECT_EQ(calls(), 0u);
}

TEST(LocalExecutor, SharesTheCpusOutEvenly) {
  EXPECT_EQ(cpu_share({0, 1, 2, 3}, 2, 0), (std::vector<int>{0, 1}));
  EXPECT_EQ(cpu_share({0, 1, 2, 3}, 2, 1), (std::vector<int>{2, 3}));
  EXPECT_EQ(cpu_share({4, 5, 6}, 2, 0), (std::vector<int>{4}));
  EXPECT_EQ(cpu_share({4, 5, 6}, 2, 1), (std::vector<int>{5, 6}));
}

// Two jobs: the independent cells run side by side, each on its own CPUs; the cell that measures
// time and the cell that trains run with nothing beside them, on every CPU; a cell runs only after
// the cell it reads.
TEST_F(StudyRunner, SideBySideCellsOverlapButTimingAndTrainingCellsRunAlone) {
  // The executor runs no more cells at once than there are CPUs: on one CPU, one after the other.
  const bool side_by_side = usable_cpus().size() >= 2;
  CellSpec timed{"timed", "", {"nap", "{out}"}}, trains{"trains", "", {"nap", "{out}"}};
  timed.measures_time = true;
  trains.fixed_threads = true;
  const std::vector<CellSpec> cells = {{"a", "", {"nap", "{out}"}}, timed, {"b", "", {"nap", "{out}"}},
                                       {"after-a", "", {"nap", "{a}"}}, trains};
  LocalExecutor two(2);
  const std::vector<CellOutcome> o = run(cells, true, &two);
  std::map<std::string, std::pair<long long, long long>> span;
  for (const CellOutcome& c : o) {
    ASSERT_EQ(c.state, CellOutcome::State::computed) << c.id << ": " << c.message;
    span[c.id] = {std::stoll(read_file(c.folder / "started")), std::stoll(read_file(c.folder / "ended"))};
  }
  auto overlap = [&](const std::string& x, const std::string& y) {
    return span[x].first < span[y].second && span[y].first < span[x].second;
  };
  EXPECT_EQ(overlap("a", "b"), side_by_side);
  EXPECT_GE(span["after-a"].first, span["a"].second);
  for (const char* other : {"a", "b", "after-a", "trains"}) EXPECT_FALSE(overlap("timed", other)) << other;
  for (const char* other : {"a", "b", "after-a"}) EXPECT_FALSE(overlap("trains", other)) << other;
  EXPECT_EQ(read_file(o[4].folder / "cpus"), read_file(o[1].folder / "cpus")) << "a training cell has every CPU";
  EXPECT_EQ(read_file(o[0].folder / "cpus") != read_file(o[2].folder / "cpus"), side_by_side) << "a and b share no CPU";
  EXPECT_EQ(o[1].record["machine"]["timing"], "alone");
  EXPECT_EQ(o[1].record["machine"]["cores"], static_cast<int>(usable_cpus().size()));
  EXPECT_EQ(o[0].record["machine"]["cores"], std::max(1, static_cast<int>(usable_cpus().size() / 2)));
}

TEST_F(StudyRunner, SideBySideAFailedCellSkipsWhatReadsIt) {
  LocalExecutor two(2);
  const std::vector<CellOutcome> o = run({{"bad", "", {"fail", "{out}"}},
                                          {"after-bad", "", {"use", "{bad}/model.onnx"}},
                                          {"independent", "", {"make", "{out}"}}},
                                         true, &two);
  EXPECT_EQ(o[0].state, CellOutcome::State::failed);
  EXPECT_EQ(o[1].state, CellOutcome::State::skipped);
  EXPECT_NE(o[1].message.find("needs bad"), std::string::npos);
  EXPECT_EQ(o[2].state, CellOutcome::State::computed);
}

}  // namespace
}  // namespace stride::study
