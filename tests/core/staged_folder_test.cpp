#include "stride/core/staged_folder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "stride/core/error.h"

namespace stride::testing {
namespace {

namespace fs = std::filesystem;

class StagedFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("stride_staged_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  size_t entries() const { return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {})); }
  fs::path dir_;
};

TEST_F(StagedFolderTest, TheFolderAppearsOnlyWhenFinished) {
  StagedFolder staged(dir_ / "out/");  // a trailing separator names the same folder
  std::ofstream(staged.path() / "a.txt") << "a";
  EXPECT_FALSE(fs::exists(dir_ / "out"));
  EXPECT_EQ(staged.path().parent_path(), dir_);
  staged.finish();
  EXPECT_TRUE(fs::exists(dir_ / "out" / "a.txt"));
  EXPECT_EQ(entries(), 1u) << "no stage left beside it";
}

TEST_F(StagedFolderTest, AStageDroppedUnfinishedLeavesNothing) {
  fs::create_directories(dir_ / "empty");
  {
    StagedFolder staged(dir_ / "empty");  // an empty folder may be the target
    std::ofstream(staged.path() / "a.txt") << "a";
  }
  EXPECT_EQ(entries(), 1u);
  EXPECT_TRUE(fs::is_empty(dir_ / "empty"));
}

TEST_F(StagedFolderTest, RefusesAFolderThatHoldsFilesOrIsAFile) {
  fs::create_directories(dir_ / "full");
  std::ofstream(dir_ / "full" / "keep.txt") << "keep";
  std::ofstream(dir_ / "file") << "x";
  EXPECT_THROW(StagedFolder(dir_ / "full"), Error);
  EXPECT_THROW(StagedFolder(dir_ / "file"), Error);
  EXPECT_TRUE(fs::exists(dir_ / "full" / "keep.txt"));
  EXPECT_EQ(entries(), 2u);
  StagedFolder none({});
  EXPECT_TRUE(none.path().empty());
  none.finish();
}

}  // namespace
}  // namespace stride::testing
