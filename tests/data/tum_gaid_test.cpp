#include "stride/data/tum_gaid.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/data_test_support.h"
#include "stride/core/error.h"
#include "stride/data/synthesizer.h"

namespace stride::data {
namespace {
namespace fs = std::filesystem;
using testing::expect_error_naming;

// Two short synthetic recordings in the TUM-GAID style layout.
class TumGaidFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    SynthConfig config = synth_preset("tum-gaid-mini");
    config.subjects = 1;
    config.sequences = {{Condition::normal, 1}, {Condition::shoe_covers, 2}};
    config.frames = 6;
    synthesize(config, 5, root());
  }
  fs::path root() const { return dir_.path() / "tum"; }
  testing::TempDir dir_;
};

TEST_F(TumGaidFixture, IndexesAndLoadsFlowStacks) {
  const TumGaidIndex index = TumGaidIndex::scan(root());
  EXPECT_EQ(index.subjects(), (std::vector<int>{1}));
  ASSERT_EQ(index.sequences().size(), 2u);
  const TumGaidSequence& shoes = index.sequences()[1];
  EXPECT_EQ(shoes.condition, Condition::shoe_covers);
  EXPECT_EQ(shoes.sequence, 2);
  ASSERT_EQ(shoes.frames.size(), 6u);
  EXPECT_EQ(shoes.frames[5], root() / "001/s-02/006.png");

  const Tensor stack = load_flow_sequence(index.sequences()[0]);
  ASSERT_EQ(stack.shape(), (Shape{10, 60, 60}));  // 6 frames, 5 fields
  // The walker moves forward (+x in the side camera's image): the mean horizontal flow is positive.
  double x_flow = 0;
  const auto v = stack.values<float>();
  for (int t = 0; t < 5; ++t)
    for (int p = 0; p < 3600; ++p) x_flow += v[2 * t * 3600 + p];
  EXPECT_GT(x_flow / (5 * 3600), 0.05);
}

TEST_F(TumGaidFixture, RefusesBadLayouts) {
  fs::create_directories(root() / "001" / "x-01");
  expect_error_naming([&] { TumGaidIndex::scan(root()); }, (root() / "001/x-01").string());
  fs::remove(root() / "001" / "x-01");
  fs::create_directories(root() / "001" / "n-02");
  expect_error_naming([&] { TumGaidIndex::scan(root()); }, (root() / "001/n-02").string());
  fs::remove(root() / "001" / "n-02");
  std::ofstream(root() / "001/n-01/7.png") << "?";
  expect_error_naming([&] { TumGaidIndex::scan(root()); }, (root() / "001/n-01/7.png").string());
  fs::remove(root() / "001/n-01/7.png");
  fs::create_directories(root() / "abc");
  expect_error_naming([&] { TumGaidIndex::scan(root()); }, (root() / "abc").string());
  fs::remove(root() / "abc");
  expect_error_naming([&] { TumGaidIndex::scan(dir_.path() / "nowhere"); }, "nowhere");
}

TEST_F(TumGaidFixture, RefusesEmptySubjectsAndMissingSequences) {
  // The fixture's manifest lists one subject: without it the counts below would be refused as partial first.
  fs::remove(root() / kSynthManifest);
  fs::create_directories(root() / "002");
  expect_error_naming([&] { TumGaidIndex::scan(root()); }, (root() / "002").string() + ": empty subject folder");
  fs::create_directories(root() / "002/n-01");
  fs::copy_file(root() / "001/n-01/001.png", root() / "002/n-01/001.png");
  expect_error_naming([&] { TumGaidIndex::scan(root()); }, (root() / "002/s-02").string() + ": missing sequence");
}

TEST_F(TumGaidFixture, RefusesUnreadableAndMismatchedFrames) {
  const TumGaidIndex index = TumGaidIndex::scan(root());
  const fs::path small = root() / "001/n-01/003.png";
  testing::write_fixture(small, cv::Mat::zeros(10, 10, CV_8UC1));
  expect_error_naming([&] { read_grey_frames(index.sequences()[0]); }, small.string());
  const fs::path broken = root() / "001/s-02/002.png";
  std::ofstream(broken, std::ios::trunc) << "garbage";
  expect_error_naming([&] { load_flow_sequence(index.sequences()[1]); }, broken.string());
  const fs::path deep = root() / "001/s-02/004.png";
  testing::write_fixture(deep, cv::Mat::zeros(240, 320, CV_16UC1));
  std::ofstream(broken, std::ios::trunc).close();
  fs::copy_file(root() / "001/s-02/001.png", broken, fs::copy_options::overwrite_existing);
  expect_error_naming([&] { read_grey_frames(index.sequences()[1]); }, deep.string());
}

}  // namespace
}  // namespace stride::data
