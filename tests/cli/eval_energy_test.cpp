// `stride eval --energy`: the feature extraction's energy per recording, or n/a with the reason.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "stride/core/atomic_file.h"
#include "stride/zoo/zoo.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

using EvalEnergy = CommandTest;

TEST_F(EvalEnergy, ReportsTheFeatureExtractionsEnergyOrWhyNot) {
  ASSERT_EQ(run_stride({"data", "synth", "--preset", "tiny", "--seed", "1", "-o", path("data")}).exit_code, 0);
  const std::string model = save(build_model("gaitset", {.width_mult = 0.25}), "g.onnx");

  const Outcome none = run_stride({"eval", model, "--data", path("data"), "--batch", "4", "--energy", "none"});
  ASSERT_EQ(none.exit_code, 0) << none.output;
  EXPECT_NE(none.output.find("feature extraction energy: n/a, EDP n/a, peak n/a (not measured (--energy none))"),
            std::string::npos)
      << none.output;

  // 3 W throughout, from an hour before now to an hour after.
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  write_file_atomically(path("log.csv"), fmt::format("{:.3f},3\n{:.3f},3\n", now - 3600, now + 3600));
  const Outcome logged = run_stride({"eval", model, "--data", path("data"), "--batch", "4", "--energy",
                                     "file:" + path("log.csv"), "--json", path("e.json")});
  ASSERT_EQ(logged.exit_code, 0) << logged.output;
  const auto j = nlohmann::json::parse(read_file(path("e.json")));
  const auto& energy = j["feature_energy_per_recording"];
  ASSERT_TRUE(energy["mj_per_inference"].is_number()) << energy.dump();
  // 3 W over the windows, spread over the test recordings.
  const double seconds = energy["window_ms"].get<double>() / 1000;
  const double recordings = j["test_recordings"];
  EXPECT_NEAR(energy["mj_per_inference"].get<double>(), 3000 * seconds / recordings,
              3000 * seconds / recordings * 0.01);
  // One window per feature-extraction batch: the plan runs, nothing else.
  EXPECT_EQ(energy["windows"].get<int>(), (j["model_samples"].get<int>() + 3) / 4);
  EXPECT_EQ(energy["peak_watts"], 3.0);
}

}  // namespace
}  // namespace stride::testing
