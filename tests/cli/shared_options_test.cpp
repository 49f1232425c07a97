// The shared options as a user meets them: `--json -` puts the JSON alone on standard output in
// every command (info's included), and a backend this build lacks is refused before any work.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stride/zoo/zoo.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

class SharedOptions : public CommandTest {
 protected:
  std::string tiny_cnn2d() const {
    ZooOptions o;
    o.width_mult = 0.125;
    o.classes = 4;
    return save(build_model("cnn2d", o), "m.onnx");
  }
};

TEST_F(SharedOptions, JsonDashIsTheJsonAloneOnStandardOutput) {
  const std::string model = tiny_cnn2d();
  const Outcome info = run_stride({"info", model, "--json", "-"}, "", Streams::stdout_only);
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_GT(nlohmann::json::parse(info.output)["totals"]["params"].get<int64_t>(), 0) << info.output;
  const Outcome bench = run_stride({"bench", model, "--backend", "ref", "--batch", "1", "--warmup", "0", "--runs", "1",
                                    "--energy", "none", "--json", "-"},
                                   "", Streams::stdout_only);
  ASSERT_EQ(bench.exit_code, 0) << bench.output;
  EXPECT_EQ(nlohmann::json::parse(bench.output)["batches"].size(), 1u) << bench.output;
  // The text still reaches the user, on standard error.
  const Outcome both = run_stride({"info", model, "--json", "-", "--no-layers"});
  EXPECT_NE(both.output.find("parameters"), std::string::npos) << both.output;
}

TEST_F(SharedOptions, JsonToAFileLeavesTheTextOnStandardOutput) {
  const std::string model = tiny_cnn2d();
  const Outcome o = run_stride({"info", model, "--no-layers", "--json", path("info.json")}, "", Streams::stdout_only);
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("parameters"), std::string::npos) << o.output;
  EXPECT_TRUE(std::filesystem::exists(path("info.json")));
}

TEST_F(SharedOptions, ABackendThisBuildLacksIsRefusedWithTheOnesItHas) {
  const std::string model = tiny_cnn2d();
  const std::string refusal = "--backend: 'tensorrt' is not a backend of this build: expected auto, ";
  expect_refused({"run", model, "--backend", "tensorrt", "--random"}, refusal, kUsage);
  expect_refused({"bench", model, "--backend", "tensorrt"}, refusal, kUsage);
}

// A former spelling is the same option: given beside the current one, the command refuses both.
TEST_F(SharedOptions, AFormerSpellingIsNotASecondValue) {
  const std::string model = tiny_cnn2d();
  expect_refused({"quantize", model, "--precision", "int8", "--data", dir_.string(), "--calib", dir_.string(), "-o",
                  path("q.onnx")},
                 "--calib: the former spelling of --data: give one of them", kUsage);
  expect_refused({"prune", model, "--batch", "1", "--bench-batches", "2", "-o", path("p.onnx")},
                 "--bench-batches: the former spelling of --batch", kUsage);
}

}  // namespace
}  // namespace stride::testing
