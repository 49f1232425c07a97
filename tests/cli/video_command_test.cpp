// `stride data synth-video`, `stride video track` and `stride video score` as a user runs them.
#include <gtest/gtest.h>

#include <fstream>

#include "support/command_support.h"

namespace stride::testing {
namespace {

class VideoCommand : public CommandTest {};

TEST_F(VideoCommand, GeneratesTracksAndScoresAVideo) {
  const Outcome made = run_stride({"data", "synth-video", "--subjects", "75,80", "--frames", "40", "--seed", "3", "-o",
                                   path("walk.avi"), "--gt", path("gt.csv"), "--masks", path("gt-masks")});
  ASSERT_EQ(made.exit_code, 0) << made.output;
  EXPECT_NE(made.output.find("subjects 75, 80"), std::string::npos) << made.output;
  const Outcome tracked = run_stride({"video", "track", path("walk.avi"), "-o", path("tracks.csv"), "--masks", path("masks")});
  ASSERT_EQ(tracked.exit_code, 0) << tracked.output;
  EXPECT_NE(tracked.output.find("40 frames of 640x480"), std::string::npos) << tracked.output;
  EXPECT_NE(tracked.output.find("frames per second"), std::string::npos) << tracked.output;
  const Outcome scored = run_stride({"video", "score", path("tracks.csv"), "--gt", path("gt.csv"), "--masks",
                                     path("masks"), "--gt-masks", path("gt-masks")});
  ASSERT_EQ(scored.exit_code, 0) << scored.output;
  EXPECT_NE(scored.output.find("IDF1"), std::string::npos) << scored.output;
  EXPECT_NE(scored.output.find("mask IoU"), std::string::npos) << scored.output;
}

TEST_F(VideoCommand, BadInputIsOneLine) {
  expect_refused({"video", "track", path("absent.avi"), "-o", path("t.csv")}, "absent.avi");
  std::ofstream(path("text.avi")) << "not a video\n";
  expect_refused({"video", "track", path("text.avi"), "-o", path("t.csv")}, "cannot be opened as a video");
  expect_refused({"video", "track", "-", "-o", path("t.csv"), "--raw-size", "640by480"}, "--raw-size 640by480",
                 kUsage);
  expect_refused({"video", "track", path("text.avi"), "-o", path("t.csv"), "--detector", "yolo"}, "--detector yolo");
  std::ofstream(path("gt.csv")) << "1,1,0,0,10,10\n1,1,0\n";
  expect_refused({"video", "score", path("gt.csv"), "--gt", path("gt.csv"), "--masks", path("m")},
                 "--masks and --gt-masks come together", kUsage);
  expect_refused({"video", "score", path("gt.csv"), "--gt", path("gt.csv")}, "gt.csv:2");
  expect_refused({"data", "synth-video", "--subjects", "5,5", "-o", path("w.avi"), "--gt", path("g.csv")},
                 "subject 5 is listed twice");
}

}  // namespace
}  // namespace stride::testing
