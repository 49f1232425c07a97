#include "stride/data/casia_b.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/data_test_support.h"
#include "stride/core/error.h"

namespace stride::data {
namespace {
namespace fs = std::filesystem;
using testing::expect_error_naming;
using testing::rectangle_frame;
using testing::write_fixture;

// A two-subject, two-view CASIA-B tree whose frames are the rectangle of the alignment test.
class CasiaBFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* subject : {"001", "002"})
      for (const char* seq : {"nm-01", "cl-02"})
        for (const char* view : {"000", "090"})
          for (int frame : {1, 2, 3})
            write_fixture(frame_path(subject, seq, view, frame), rectangle_frame(100 + 2 * frame, 50, 22, 128));
    std::ofstream(root() / "README.txt") << "notes beside the data are ignored";
  }
  fs::path root() const { return dir_.path() / "casia"; }
  fs::path frame_path(const std::string& subject, const std::string& seq, const std::string& view, int frame) const {
    return root() / subject / seq / view / fmt::format("{}-{}-{}-{:03d}.png", subject, seq, view, frame);
  }
  testing::TempDir dir_;
};

TEST_F(CasiaBFixture, IndexesSubjectsSequencesAndViews) {
  const CasiaBIndex index = CasiaBIndex::scan(root());
  EXPECT_EQ(index.subjects(), (std::vector<int>{1, 2}));
  EXPECT_EQ(index.views(), (std::vector<int>{0, 90}));
  ASSERT_EQ(index.sequences().size(), 8u);
  const CasiaBSequence& s = index.find(2, Condition::coat, 2, 90);
  EXPECT_EQ(s.folder, root() / "002/cl-02/090");
  ASSERT_EQ(s.frames.size(), 3u);
  EXPECT_EQ(s.frames[2], frame_path("002", "cl-02", "090", 3));
  expect_error_naming([&] { index.find(3, Condition::normal, 1, 0); }, "003/nm-01/000");
}

TEST_F(CasiaBFixture, LoadsGaitSetClipsAndGeis) {
  const CasiaBIndex index = CasiaBIndex::scan(root());
  const Tensor clip = load_silhouette_clip(index.find(1, Condition::normal, 1, 0));
  ASSERT_EQ(clip.shape(), (Shape{30, 64, 44}));
  // Every frame is the 22x128 rectangle, whatever its position: columns 17..27 after alignment.
  const auto v = clip.values<float>();
  for (int f : {0, 4, 29}) {
    EXPECT_FLOAT_EQ(v[f * 64 * 44 + 10 * 44 + 16], 0.0f);
    EXPECT_FLOAT_EQ(v[f * 64 * 44 + 10 * 44 + 17], 1.0f);
    EXPECT_FLOAT_EQ(v[f * 64 * 44 + 63 * 44 + 27], 1.0f);
    EXPECT_FLOAT_EQ(v[f * 64 * 44 + 63 * 44 + 28], 0.0f);
  }
  const Tensor gei = load_gait_energy_image(index.find(1, Condition::normal, 1, 0));
  ASSERT_EQ(gei.shape(), (Shape{64, 44}));
  EXPECT_FLOAT_EQ(gei.values<float>()[5 * 44 + 20], 1.0f);
}

TEST_F(CasiaBFixture, RefusesBadFolderNames) {
  fs::create_directories(root() / "01");
  expect_error_naming([&] { CasiaBIndex::scan(root()); }, (root() / "01").string());
  fs::remove(root() / "01");
  fs::create_directories(root() / "001" / "walk-01");
  expect_error_naming([&] { CasiaBIndex::scan(root()); }, (root() / "001/walk-01").string());
  fs::remove(root() / "001" / "walk-01");
  fs::create_directories(root() / "001" / "nm-01" / "90");
  expect_error_naming([&] { CasiaBIndex::scan(root()); }, (root() / "001/nm-01/90").string());
  fs::remove(root() / "001" / "nm-01" / "90");
  EXPECT_NO_THROW(CasiaBIndex::scan(root()));
  expect_error_naming([&] { CasiaBIndex::scan(dir_.path() / "nowhere"); }, (dir_.path() / "nowhere").string());
  fs::create_directories(dir_.path() / "empty");
  expect_error_naming([&] { CasiaBIndex::scan(dir_.path() / "empty"); }, "no subject folders");
}

TEST_F(CasiaBFixture, RefusesFramesThatDoNotFitTheirFolders) {
  const fs::path stray = root() / "001/nm-01/090/002-nm-01-090-004.png";
  fs::copy_file(frame_path("001", "nm-01", "090", 1), stray);
  expect_error_naming([&] { CasiaBIndex::scan(root()); }, stray.string());
  fs::remove(stray);
  const fs::path notes = root() / "001/nm-01/090/notes.txt";
  std::ofstream(notes) << "?";
  expect_error_naming([&] { CasiaBIndex::scan(root()); }, notes.string());
}

TEST_F(CasiaBFixture, RefusesEmptySequencesAndMissingViews) {
  for (int frame : {1, 2, 3}) fs::remove(frame_path("002", "nm-01", "090", frame));
  expect_error_naming([&] { CasiaBIndex::scan(root()); }, (root() / "002/nm-01/090").string());
  fs::remove(root() / "002/nm-01/090");
  expect_error_naming([&] { CasiaBIndex::scan(root()); }, (root() / "002/nm-01/090").string());
  fs::remove_all(root() / "002/nm-01");
  fs::create_directories(root() / "002/nm-01");
  expect_error_naming([&] { CasiaBIndex::scan(root()); }, (root() / "002/nm-01").string());
}

// An empty subject folder would shift the train/test split, a subject without one of the others'
// sequences would shrink the protocol: both are refused, naming the folder.
TEST_F(CasiaBFixture, RefusesEmptySubjectsAndMissingSequences) {
  fs::create_directories(root() / "003");
  expect_error_naming([&] { CasiaBIndex::scan(root()); }, (root() / "003").string() + ": empty subject folder");
  fs::remove(root() / "003");
  fs::remove_all(root() / "002" / "cl-02");
  expect_error_naming([&] { CasiaBIndex::scan(root()); }, (root() / "002/cl-02").string() + ": missing sequence");
}

TEST_F(CasiaBFixture, RefusesFramesOfDifferentSizesInASequence) {
  const CasiaBIndex index = CasiaBIndex::scan(root());
  const fs::path odd = frame_path("001", "nm-01", "000", 2);
  write_fixture(odd, cv::Mat::zeros(64, 64, CV_8UC1));
  expect_error_naming([&] { read_silhouettes(index.find(1, Condition::normal, 1, 0)); }, odd.string() + " is 64x64");
}

TEST_F(CasiaBFixture, RefusesNonBinaryUnreadableAndBlankSilhouettes) {
  const fs::path grey = frame_path("001", "nm-01", "000", 2);
  cv::Mat frame = rectangle_frame(100, 50, 22, 128);
  frame.at<uint8_t>(60, 105) = 128;
  write_fixture(grey, frame);
  const CasiaBIndex index = CasiaBIndex::scan(root());
  expect_error_naming([&] { load_silhouette_clip(index.find(1, Condition::normal, 1, 0)); }, grey.string());

  const fs::path broken = frame_path("001", "cl-02", "000", 1);
  std::ofstream(broken, std::ios::trunc) << "not a png";
  expect_error_naming([&] { read_silhouettes(index.find(1, Condition::coat, 2, 0)); }, broken.string());

  for (int f : {1, 2, 3}) write_fixture(frame_path("002", "nm-01", "000", f), cv::Mat::zeros(240, 320, CV_8UC1));
  expect_error_naming([&] { load_silhouette_clip(index.find(2, Condition::normal, 1, 0)); },
                      (root() / "002/nm-01/000").string());
  expect_error_naming([&] { load_gait_energy_image(index.find(2, Condition::normal, 1, 0)); },
                      (root() / "002/nm-01/000").string());
}

}  // namespace
}  // namespace stride::data
