#include "stride/data/synthesizer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <thread>

#include "support/data_test_support.h"
#include "stride/core/error.h"
#include "stride/data/casia_b.h"

namespace stride::data {
namespace {
namespace fs = std::filesystem;

// Relative path -> bytes of every file under `root`.
std::map<std::string, std::string> read_tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    files[fs::relative(entry.path(), root).string()] = {std::istreambuf_iterator<char>(in), {}};
  }
  return files;
}

TEST(Synthesizer, TinyPresetHasTheCasiaBLayout) {
  std::set<std::string> expected{kSynthManifest};
  for (int subject = 1; subject <= 8; ++subject)
    for (const char* seq : {"nm-01", "nm-02", "nm-03", "nm-04", "nm-05", "nm-06", "bg-01", "bg-02", "cl-01", "cl-02"})
      for (int view : {36, 90})
        for (int frame = 1; frame <= 8; ++frame)
          expected.insert(fmt::format("{:03d}/{}/{:03d}/{:03d}-{}-{:03d}-{:03d}.png", subject, seq, view, subject, seq,
                                      view, frame));
  std::set<std::string> found;
  for (const auto& [path, bytes] : read_tree(testing::tiny_dataset())) found.insert(path);
  EXPECT_EQ(found, expected);
  EXPECT_TRUE(found.count("001/nm-01/090/001-nm-01-090-008.png"));
}

TEST(Synthesizer, SilhouettesAreBinaryAndShowTheWalker) {
  const CasiaBIndex index = CasiaBIndex::scan(testing::tiny_dataset());
  ASSERT_EQ(index.sequences().size(), 160u);
  EXPECT_EQ(index.subjects(), (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(index.views(), (std::vector<int>{36, 90}));
  for (const CasiaBSequence& seq : index.sequences()) {
    int blank = 0;
    for (const fs::path& path : seq.frames) {
      const cv::Mat frame = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
      ASSERT_EQ(frame.type(), CV_8UC1) << path;
      ASSERT_EQ(frame.size(), cv::Size(320, 240)) << path;
      const int white = cv::countNonZero(frame == 255), black = cv::countNonZero(frame == 0);
      ASSERT_EQ(white + black, 320 * 240) << path << " is not binary";
      // A walker 6 m away covers a few thousand pixels (a short one seen from the side with legs
      // together, about 1,500); a segmentation failure may blank one frame.
      if (white == 0) {
        ++blank;
      } else {
        EXPECT_GT(white, 1000) << path;
        EXPECT_LT(white, 15000) << path;
      }
    }
    EXPECT_LE(blank, 1) << seq.folder;
  }
}

TEST(Synthesizer, SameSeedSameBytesWhateverTheThreadCount) {
  testing::TempDir dir;
  SynthConfig config = synth_preset("tiny");
  config.threads = 1;
  synthesize(config, 7, dir / "one-thread");
  EXPECT_EQ(read_tree(dir / "one-thread"), read_tree(testing::tiny_dataset()));

  synthesize(config, 8, dir / "other-seed");
  const auto a = read_tree(testing::tiny_dataset()), b = read_tree(dir / "other-seed");
  ASSERT_EQ(a.size(), b.size());
  int differing = 0;
  for (const auto& [path, bytes] : a) differing += b.at(path) != bytes;
  EXPECT_GT(differing, static_cast<int>(a.size()) * 9 / 10);
}

TEST(Synthesizer, ReportsProgressOnTheCallingThread) {
  testing::TempDir dir;
  SynthConfig config = synth_preset("tiny");
  config.subjects = 1;
  config.frames = 2;
  std::vector<size_t> done;
  const auto caller = std::this_thread::get_id();
  synthesize(config, 1, dir / "out", [&](size_t d, size_t total) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    EXPECT_EQ(total, 20u);  // 10 sequences × 2 views
    done.push_back(d);
  });
  ASSERT_FALSE(done.empty());
  EXPECT_EQ(done.back(), 20u);
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
}

// The manifest is written first ("state: writing") and rewritten last ("state: complete"): a
// generation cut short — by an exception here, by Ctrl-C or SIGKILL in use — is refused by the loaders.
TEST(Synthesizer, AnInterruptedGenerationIsRefusedByTheLoader) {
  testing::TempDir dir;
  SynthConfig config = synth_preset("tiny");
  config.frames = 2;
  EXPECT_THROW(synthesize(config, 1, dir / "out", [](size_t, size_t) { throw Error("interrupted"); }), Error);
  testing::expect_error_naming([&] { CasiaBIndex::scan(dir / "out"); }, "generation was interrupted");
}

// A finished dataset that lost frames or subjects afterwards (a partial copy) no longer matches its
// manifest.
TEST(Synthesizer, APartialCopyDisagreesWithItsManifest) {
  testing::TempDir dir;
  SynthConfig config = synth_preset("tiny");
  config.frames = 3;
  synthesize(config, 1, dir / "out");
  EXPECT_NO_THROW(CasiaBIndex::scan(dir / "out"));
  const CasiaBSequence first = CasiaBIndex::scan(dir / "out").sequences().front();
  fs::remove(first.frames.back());
  testing::expect_error_naming([&] { CasiaBIndex::scan(dir / "out"); }, first.folder.string() + ": 2 frames");
  fs::remove_all(first.folder.parent_path().parent_path());
  testing::expect_error_naming([&] { CasiaBIndex::scan(dir / "out"); }, "is partial");
}

TEST(Synthesizer, RefusesAnOccupiedFolderAndBadConfigurations) {
  testing::TempDir dir;
  std::ofstream(dir / "keep.txt") << "precious";
  testing::expect_error_naming([&] { synthesize(synth_preset("tiny"), 1, dir.path()); }, dir.path().string());
  testing::expect_error_naming([] { synth_preset("casia-c"); }, "casia-b-mini");

  SynthConfig config = synth_preset("tiny");
  config.views = {200};
  testing::expect_error_naming([&] { check_config(config); }, "view 200");
  config = synth_preset("tiny");
  config.sequences.push_back({Condition::shoe_covers, 1});
  EXPECT_THROW(check_config(config), Error);
  config = synth_preset("tum-gaid-mini");
  config.views = {0, 90};
  testing::expect_error_naming([&] { check_config(config); }, "one camera");
  for (const std::string& name : synth_preset_names()) EXPECT_NO_THROW(check_config(synth_preset(name))) << name;
}

TEST(Synthesizer, WritesTumGaidStyleGreyFrames) {
  testing::TempDir dir;
  SynthConfig config = synth_preset("tum-gaid-mini");
  config.subjects = 1;
  config.sequences = {{Condition::normal, 1}, {Condition::backpack, 1}};
  config.frames = 3;
  synthesize(config, 3, dir / "tum");
  for (const char* seq : {"001/n-01", "001/b-01"}) {
    for (const char* frame : {"001.png", "002.png", "003.png"}) {
      const cv::Mat image = cv::imread((dir / "tum" / seq / frame).string(), cv::IMREAD_UNCHANGED);
      ASSERT_EQ(image.type(), CV_8UC1) << seq << "/" << frame;
      double lo, hi;
      cv::minMaxLoc(image, &lo, &hi);
      EXPECT_GT(hi - lo, 60) << "a textured frame has contrast";
    }
  }
}

}  // namespace
}  // namespace stride::data
