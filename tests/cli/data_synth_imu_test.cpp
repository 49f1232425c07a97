// `stride data synth-imu` as a user runs it: the UCI HAR layout written, a used folder or an unknown
// preset refused in one line, and `stride data preview` drawing the result.
#include "support/command_support.h"

namespace stride::testing {
namespace {

namespace fs = std::filesystem;

class DataSynthImu : public CommandTest {};

TEST_F(DataSynthImu, WritesTheUciHarLayoutAndPreviewsIt) {
  const Outcome o = run_stride({"data", "synth-imu", "--preset", "har-mini", "--seed", "2", "-o", path("har")});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("of 20 subjects (har-mini preset, seed 2) to " + path("har")), std::string::npos) << o.output;
  const fs::path root = path("har");
  for (const char* file :
       {"activity_labels.txt", "README.txt", "stride-synth.txt", "train/y_train.txt", "train/subject_train.txt",
        "train/Inertial Signals/body_acc_x_train.txt", "test/Inertial Signals/total_acc_z_test.txt"})
    EXPECT_TRUE(fs::is_regular_file(root / file)) << file;

  expect_refused({"data", "synth-imu", "--preset", "har-mini", "-o", path("har")}, "is not empty");
  expect_refused({"data", "synth-imu", "--preset", "uci", "-o", path("other")}, "unknown IMU dataset preset 'uci'",
                 kUsage);

  const Outcome p = run_stride({"data", "preview", path("har"), "-o", path("har.png"), "--frames", "3"});
  ASSERT_EQ(p.exit_code, 0) << p.output;
  EXPECT_GT(fs::file_size(path("har.png")), 1000u);
}

}  // namespace
}  // namespace stride::testing
