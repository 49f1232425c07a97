// `stride gallery enroll --video` and `stride identify --video` as a user runs them: a walker of a
// generated video enrolled from its own track is named in that video, no one else gets its name
// at the same moment, and the answers are scored against the video's truth.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "stride/core/atomic_file.h"
#include "stride/video/track_video.h"
#include "stride/video/walk_identification.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

class IdentifyVideo : public CommandTest {};

TEST_F(IdentifyVideo, AWalkerEnrolledFromItsTrackIsNamedInTheVideo) {
  ASSERT_EQ(run_stride({"data", "synth-video", "--subjects", "75,80", "--frames", "150", "--seed", "3", "-o",
                        path("walk.avi"), "--gt", path("gt.csv")})
                .exit_code,
            0);
  ASSERT_EQ(run_stride({"zoo", "build", "gaitset", "--width-mult", "0.125", "-o", path("g.onnx")}).exit_code, 0);
  // A track long enough for a window of 30 silhouettes, and who it truly is.
  video::TrackVideoOptions options;
  options.keep_walks = true;
  const video::TrackedVideo tracked = video::track_video(path("walk.avi"), options);
  const auto truth = video::track_truth(tracked.rows, video::read_mot_csv(path("gt.csv")));
  int64_t track = 0;
  for (const auto& [id, walk] : tracked.walks)
    if (walk.silhouettes.size() >= 30 && truth.count(id) && track == 0) track = id;
  ASSERT_NE(track, 0) << "no track of 30 silhouettes";
  const std::string subject = std::to_string(truth.at(track));

  const std::vector<std::string> gallery = {path("g.db"), "--key-file", path("g.key"), "--model", path("g.onnx")};
  std::vector<std::string> init = {"gallery", "init"}, enroll = {"gallery", "enroll"}, identify = {"identify"};
  for (auto* command : {&init, &enroll, &identify}) command->insert(command->end(), gallery.begin(), gallery.end());
  ASSERT_EQ(run_stride(init).exit_code, 0);
  enroll.insert(enroll.end(), {"--video", path("walk.avi"), "--track", std::to_string(track), "--subject", subject,
                               "--name", "Walker One"});
  Outcome o = run_stride(enroll);
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("track " + std::to_string(track) + " of"), std::string::npos) << o.output;

  identify.insert(identify.end(), {"--video", path("walk.avi"), "--gt", path("gt.csv"), "--threshold", "0.95",
                                   "--json", path("who.json")});
  o = run_stride(identify);
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const nlohmann::json j = nlohmann::json::parse(stride::read_file(path("who.json")));
  EXPECT_EQ(j["kind"], "identify-video");
  int named = 0;
  std::map<int64_t, std::vector<std::pair<int64_t, int64_t>>> spans_named;  // track -> frame spans named Walker One
  for (const auto& w : j["windows"]) {
    if (w["track"] == track) {
      EXPECT_EQ(w["identity"], "Walker One") << w.dump();  // its own windows: the templates themselves
      EXPECT_GT(w["score"].get<double>(), 0.999);
    }
    if (w["identity"] == "Walker One") {
      ++named;
      spans_named[w["track"]].push_back({w["first_frame"], w["last_frame"]});
    }
  }
  EXPECT_GE(named, 1);
  EXPECT_GE(j["truth"]["named_rightly"].get<int>(), 1);
  EXPECT_EQ(j["truth"]["named_wrongly"].get<int>() + j["truth"]["named_rightly"].get<int>(),
            named - j["truth"]["false_positives"].get<int>());
}

TEST_F(IdentifyVideo, RefusesWhatItCannotAnswer) {
  ASSERT_EQ(run_stride({"zoo", "build", "gaitset", "--width-mult", "0.125", "-o", path("g.onnx")}).exit_code, 0);
  ASSERT_EQ(run_stride({"gallery", "init", path("g.db"), "--key-file", path("g.key")}).exit_code, 0);
  expect_refused({"identify", path("g.db"), "--key-file", path("g.key"), "--model", path("g.onnx")},
                 "give --data (a dataset's probe recordings) or --video", kUsage);
  expect_refused({"gallery", "enroll", path("g.db"), "--key-file", path("g.key"), "--model", path("g.onnx"),
                  "--subject", "3", "--video", path("g.onnx")},
                 "give the walker's --track", kUsage);
  expect_refused({"identify", path("g.db"), "--key-file", path("g.key"), "--model", path("g.onnx"), "--data",
                  dir_.string(), "--video", path("g.onnx")},
                 "excludes", kUsage);
}

}  // namespace
}  // namespace stride::testing
