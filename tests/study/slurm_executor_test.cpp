// Cells as Slurm jobs: the batch script and sbatch line of a cell, the dependencies between jobs,
// failures shown with their Slurm log and submitted again with --retry — against stand-ins for
// sbatch, squeue and scancel written by the test — then, where a Slurm cluster answers (as under
// `make slurm-test`), real cells computed by real jobs.
#include "stride/study/slurm_executor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/core/interrupt.h"
#include "stride/study/child_process.h"
#include "stride/study/sbatch_script.h"
#include "stride/study/slurm_commands.h"
#include "stride/study/study_runner.h"

namespace stride::study {
namespace {

namespace fs = std::filesystem;

TEST(SbatchScript, ATimingCellAsksForAWholeNodeAndEveryOptionIsPassedThrough) {
  SlurmJobOptions o;
  o.partition = "cpu";
  o.account = "gait";
  o.time = "1:00:00";
  o.mem = "8G";
  o.cpus_per_cell = 4;
  o.extra = split_words("  --qos=long\t--constraint=avx512 ");
  const SlurmCellJob bench{"bench/cnn2d/int8",
                           true,
                           0,
                           "/s/slurm/bench-cnn2d-int8-%j.log",
                           {"/opt/stride", "study", "--run-cell", "bench/cnn2d/int8", "-o", "/s/it's"}};
  EXPECT_EQ(sbatch_script(bench, o),
            "#!/bin/sh\n"
            "# Study cell bench/cnn2d/int8: computed into the shared cell cache by `stride study --run-cell`.\n"
            "#SBATCH --job-name=stride:bench/cnn2d/int8\n"
            "#SBATCH --output=/s/slurm/bench-cnn2d-int8-%j.log\n"
            "#SBATCH --ntasks=1\n"
            "#SBATCH --cpus-per-task=4\n"
            "#SBATCH --partition=cpu\n"
            "#SBATCH --account=gait\n"
            "#SBATCH --time=1:00:00\n"
            "#SBATCH --mem=8G\n"
            "#SBATCH --exclusive\n"
            "#SBATCH --qos=long\n"
            "#SBATCH --constraint=avx512\n"
            "exec '/opt/stride' 'study' '--run-cell' 'bench/cnn2d/int8' '-o' '/s/it'\\''s'\n");
  SlurmCellJob train = bench;
  train.measures_time = false;
  train.cpus = 2;  // a training cell's fixed thread count wins over --cpus-per-cell
  EXPECT_EQ(sbatch_script(train, o).find("--exclusive"), std::string::npos);
  EXPECT_NE(sbatch_script(train, o).find("#SBATCH --cpus-per-task=2\n"), std::string::npos);
  EXPECT_EQ(sbatch_script(train, o).find("--cpus-per-task=4"), std::string::npos);
  o.exclusive_timing = false;
  EXPECT_EQ(sbatch_script(bench, o).find("--exclusive"), std::string::npos);
  EXPECT_EQ(sbatch_script(bench, {}).find("--cpus-per-task"), std::string::npos) << "the cluster's default";
}

TEST(SbatchScript, DependenciesAndJobIds) {
  EXPECT_EQ(sbatch_arguments({}, "/s/a.sh"), (std::vector<std::string>{"--parsable", "/s/a.sh"}));
  EXPECT_EQ(
      sbatch_arguments({"12", "15"}, "/s/b.sh"),
      (std::vector<std::string>{"--parsable", "--dependency=afterok:12:15", "--kill-on-invalid-dep=yes", "/s/b.sh"}));
  EXPECT_EQ(parse_job_id("4711\n"), "4711");
  EXPECT_EQ(parse_job_id("4711;cluster\n"), "4711");
  EXPECT_EQ(parse_job_id("sbatch: warning: 2 CPUs asked\n88\n"), "88");
  EXPECT_THROW(parse_job_id("sbatch: error: invalid partition\n"), Error);
  EXPECT_TRUE(job_is_live("PENDING"));
  EXPECT_TRUE(job_is_live("RUNNING"));
  EXPECT_FALSE(job_is_live("COMPLETED"));
  EXPECT_FALSE(job_is_live("CANCELLED"));
}

// Stand-ins on PATH: sbatch logs its arguments and hands out ids 1, 2, ...; squeue lists every
// job handed out as $FAKE_STATE (COMPLETED unless set); scancel logs its arguments. No job runs:
// the cells stay uncomputed, so every job "ends" without its cell in the cache.
class FakeSlurm : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("stride-slurm-" + std::to_string(getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "bin");
    tool("sbatch",
         "n=$(($(cat \"$FAKE_SLURM/next\" 2>/dev/null || echo 0) + 1)); echo $n > \"$FAKE_SLURM/next\"\n"
         "echo \"$*\" >> \"$FAKE_SLURM/sbatch.log\"\necho $n\n");
    tool("squeue",
         "n=$(cat \"$FAKE_SLURM/next\" 2>/dev/null || echo 0); i=1\n"
         "while [ $i -le $n ]; do echo \"$i|${FAKE_STATE:-COMPLETED}\"; i=$((i + 1)); done\n");
    tool("scancel", "echo \"$*\" >> \"$FAKE_SLURM/scancel.log\"\n");
    setenv("FAKE_SLURM", root_.c_str(), 1);
    unsetenv("FAKE_STATE");
    path_ = std::getenv("PATH");
    setenv("PATH", ((root_ / "bin").string() + ":" + path_).c_str(), 1);
  }
  void TearDown() override {
    setenv("PATH", path_.c_str(), 1);
    fs::remove_all(root_);
  }
  void tool(const std::string& name, const std::string& body) {
    write_file_atomically(root_ / "bin" / name, "#!/bin/sh\n" + body);
    fs::permissions(root_ / "bin" / name, fs::perms::owner_all);
  }
  std::vector<std::string> lines(const std::string& name) const {
    std::ifstream in(root_ / name);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  std::vector<CellOutcome> run(const std::vector<CellSpec>& cells, bool retry = false, bool detach = false) {
    SlurmOptions o;
    o.folder = root_ / "study";
    o.program = "/opt/stride";
    o.study_arguments = {"--preset", "quick"};
    o.retry = retry;
    o.detach = detach;
    o.poll_seconds = 0.05;
    SlurmExecutor slurm(o);
    return run_cells(cells, CellCache(root_ / "study" / "cells"), {"/opt/stride", {}, true, &slurm});
  }

  fs::path root_;
  std::string path_;
};

TEST_F(FakeSlurm, EachCellIsAJobAfterTheJobsOfTheCellsItReads) {
  CellSpec timed{"bench/x", "", {"bench", "{make}/model.onnx"}};
  timed.measures_time = true;
  const std::vector<CellOutcome> o = run({{"make", "", {"make", "{out}"}}, {"other", "", {"make", "{out}"}}, timed});
  const std::vector<std::string> calls = lines("sbatch.log");
  const fs::path slurm = root_ / "study" / "slurm";
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0], "--parsable " + (slurm / "make.sh").string());
  EXPECT_EQ(calls[1], "--parsable " + (slurm / "other.sh").string());
  EXPECT_EQ(calls[2], "--parsable --dependency=afterok:1 --kill-on-invalid-dep=yes " + (slurm / "bench-x.sh").string());
  const std::string script = read_file(slurm / "bench-x.sh");
  EXPECT_NE(script.find("#SBATCH --exclusive\n"), std::string::npos);
  EXPECT_NE(script.find("exec '/opt/stride' 'study' '--run-cell' 'bench/x' '--preset' 'quick' '-o' '" +
                        (root_ / "study").string() + "' '--timing-node' 'exclusive'\n"),
            std::string::npos)
      << script;
  // No job computed its cell: each is failed with its Slurm log, or skipped after the one it reads.
  EXPECT_EQ(o[0].state, CellOutcome::State::failed);
  EXPECT_NE(o[0].message.find("Slurm job 1 COMPLETED"), std::string::npos) << o[0].message;
  EXPECT_NE(o[0].message.find("log: " + (slurm / "make-1.log").string()), std::string::npos) << o[0].message;
  EXPECT_EQ(o[2].state, CellOutcome::State::skipped);
  EXPECT_NE(o[2].message.find("needs make"), std::string::npos) << o[2].message;
  const SubmittedStudy submitted = read_submitted(root_ / "study");
  EXPECT_EQ(submitted.jobs.at("bench/x"), "3");
  EXPECT_EQ(submitted.logs.at("make"), (slurm / "make-1.log").string());
  EXPECT_EQ(submitted.study_arguments, (std::vector<std::string>{"--preset", "quick"}));
}

TEST_F(FakeSlurm, RetrySubmitsAFailedCellAndWhatFollowsItOnceMore) {
  const std::vector<CellOutcome> o = run({{"make", "", {"make", "{out}"}}, {"use", "", {"use", "{make}"}}}, true);
  const std::vector<std::string> calls = lines("sbatch.log");
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_NE(calls[3].find("--dependency=afterok:3 "), std::string::npos) << calls[3];
  EXPECT_EQ(o[0].state, CellOutcome::State::failed);
  EXPECT_NE(o[0].message.find("Slurm job 3"), std::string::npos) << o[0].message;
  EXPECT_EQ(read_submitted(root_ / "study").jobs.at("use"), "4");
}

TEST_F(FakeSlurm, DetachedTheStudySubmitsAndReturns) {
  setenv("FAKE_STATE", "PENDING", 1);  // would never end: a detached study must not wait
  const std::vector<CellOutcome> o = run({{"make", "", {"make", "{out}"}}}, false, true);
  EXPECT_EQ(o[0].state, CellOutcome::State::skipped);
  EXPECT_EQ(o[0].message, "submitted as Slurm job 1");
  EXPECT_EQ(job_states(root_).at("1"), "PENDING");
}

// A second study started while the jobs of a detached one still run waits for those jobs instead
// of submitting the same cells again.
TEST_F(FakeSlurm, JobsStillQueuedFromAnEarlierSubmissionAreNotSubmittedAgain) {
  setenv("FAKE_STATE", "PENDING", 1);
  run({{"make", "", {"make", "{out}"}}}, false, true);
  // Polled twice: the job is live as the study starts and when it first looks, then gone.
  tool("squeue",
       "n=$(cat \"$FAKE_SLURM/polls\" 2>/dev/null || echo 0); echo $((n + 1)) > \"$FAKE_SLURM/polls\"\n"
       "if [ $n -lt 2 ]; then echo '1|RUNNING'; fi\n");
  const std::vector<CellOutcome> o = run({{"make", "", {"make", "{out}"}}, {"use", "", {"use", "{make}"}}});
  const std::vector<std::string> calls = lines("sbatch.log");
  ASSERT_EQ(calls.size(), 2u) << "only the new cell is submitted";
  EXPECT_NE(calls[1].find("--dependency=afterok:1 "), std::string::npos) << calls[1];
  EXPECT_NE(o[0].message.find("Slurm job 1"), std::string::npos) << o[0].message;
}

// Ctrl-C while the study waits (here sent by squeue itself, once the study watches its jobs)
// cancels the study's jobs that have not ended.
TEST_F(FakeSlurm, InterruptedTheStudyCancelsItsJobs) {
  install_interrupt_handler();
  tool("squeue", "kill -INT $PPID\necho '1|RUNNING'\n");
  EXPECT_THROW(run({{"make", "", {"make", "{out}"}}}), Error);
  EXPECT_EQ(lines("scancel.log"), (std::vector<std::string>{"1"}));
}

TEST_F(FakeSlurm, ARefusedSubmissionCancelsWhatWasSubmitted) {
  tool("sbatch",
       "n=$(($(cat \"$FAKE_SLURM/next\" 2>/dev/null || echo 0) + 1)); echo $n > \"$FAKE_SLURM/next\"\n"
       "if [ $n -ge 2 ]; then echo 'sbatch: error: invalid partition' >&2; exit 1; fi\necho $n\n");
  EXPECT_THROW(run({{"a", "", {"make", "{out}"}}, {"b", "", {"make", "{out}"}}}), Error);
  EXPECT_EQ(lines("scancel.log"), (std::vector<std::string>{"1"}));
}

}  // namespace
}  // namespace stride::study
