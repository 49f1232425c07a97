// `stride bench --energy`: every energy cell reads n/a with the reason where there is no meter, and
// a power log covering the run gives numbers that follow from the log's power.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "stride/core/atomic_file.h"
#include "stride/zoo/zoo.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

class BenchEnergy : public CommandTest {
 protected:
  std::string model() const { return save(build_model("cnn2d", {.classes = 10, .width_mult = 0.125}), "m.onnx"); }
  Outcome bench(const std::string& energy, const std::vector<std::string>& more = {}) const {
    std::vector<std::string> args = {"bench",    model(), "--backend", "ref", "--batch",  "1",
                                     "--warmup", "1",     "--runs",    "3",   "--energy", energy};
    args.insert(args.end(), more.begin(), more.end());
    return run_stride(args);
  }
};

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The table's row of the ref backend at batch 1.
std::string result_row(const std::string& output) {
  const size_t at = output.find("    1  ref ");
  if (at == std::string::npos) return "";
  return output.substr(at, output.find('\n', at) - at);
}

TEST_F(BenchEnergy, WithoutAMeterEveryEnergyCellIsNotAvailableWithTheReason) {
  const Outcome none = bench("none");
  ASSERT_EQ(none.exit_code, 0) << none.output;
  EXPECT_EQ(count(result_row(none.output), " n/a"), 3u) << none.output;  // energy, EDP, peak power
  EXPECT_NE(none.output.find("energy n/a: not measured (--energy none)\n"), std::string::npos) << none.output;
}

// A meter the user named that cannot be read is a failure (exit 1, no report), not "n/a": only
// --energy auto falls back to no figure.
TEST_F(BenchEnergy, ANamedMeterThatCannotBeReadFails) {
  const Outcome rapl = bench("rapl:/nonexistent", {"--json", path("r.json")});
  EXPECT_EQ(rapl.exit_code, 1) << rapl.output;
  EXPECT_NE(rapl.output.find("--energy rapl: no /nonexistent (no powercap RAPL on this machine)"), std::string::npos)
      << rapl.output;
  EXPECT_FALSE(std::filesystem::exists(path("r.json")));

  const Outcome missing = bench("file:" + path("MISSING.csv"), {"--json", path("m.json")});
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_NE(missing.output.find("cannot read the power log " + path("MISSING.csv")), std::string::npos)
      << missing.output;
  EXPECT_FALSE(std::filesystem::exists(path("m.json")));
}

TEST_F(BenchEnergy, APowerLogCoveringTheRunGivesItsEnergy) {
  // 5 W from an hour before to an hour after now, on the wall clock the windows are stamped with.
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::string csv = "time,watts\n";
  for (int s = -3600; s <= 3600; s += 60) csv += fmt::format("{:.3f},5\n", now + s);
  write_file_atomically(path("log.csv"), csv);
  const Outcome o = bench("file:" + path("log.csv"), {"--json", path("r.json")});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(o.output.find("n/a"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("energy: power log " + path("log.csv") + ", over the timed runs only"), std::string::npos)
      << o.output;
  const auto energy = nlohmann::json::parse(read_file(path("r.json")))["batches"][0]["backends"][0]["energy"];
  ASSERT_TRUE(energy["mj_per_inference"].is_number()) << energy.dump();
  EXPECT_EQ(energy["windows"], 3);
  // Constant 5 W: the energy is 5 W times the windows' time, and the peak is 5 W.
  const double seconds = energy["window_ms"].get<double>() / 1000;
  EXPECT_NEAR(energy["joules"].get<double>(), 5 * seconds, 5 * seconds * 0.01);
  EXPECT_NEAR(energy["mj_per_inference"].get<double>(), 5000 * seconds / 3, 5000 * seconds / 3 * 0.01);
  EXPECT_EQ(energy["peak_watts"], 5.0);
  EXPECT_GT(energy["edp_mj_ms"].get<double>(), 0);

  // Idle at the same 5 W: the baseline takes all of it away, but not from the peak.
  const Outcome idle = bench("file:" + path("log.csv"), {"--idle-baseline", "0.2", "--json", path("idle.json")});
  ASSERT_EQ(idle.exit_code, 0) << idle.output;
  EXPECT_NE(idle.output.find("less 5.00 W idle"), std::string::npos) << idle.output;
  const auto net = nlohmann::json::parse(read_file(path("idle.json")))["batches"][0]["backends"][0]["energy"];
  EXPECT_NEAR(net["idle_watts"].get<double>(), 5.0, 1e-6);
  EXPECT_NEAR(net["joules"].get<double>(), 0.0, 0.01 * net["gross_joules"].get<double>());
  EXPECT_EQ(net["peak_watts"], 5.0);
}

TEST_F(BenchEnergy, AgainstItsBaselineAModelShowsCompressionAndTheoreticalSpeedUp) {
  const std::string small = save(build_model("cnn2d", {.classes = 10, .width_mult = 0.0625}), "small.onnx");
  const Outcome s = run_stride({"bench", small, "--backend", "ref", "--batch", "1", "--warmup", "0", "--runs", "1",
                                "--energy", "none", "--baseline", model(), "--json", path("s.json")});
  ASSERT_EQ(s.exit_code, 0) << s.output;
  const auto j = nlohmann::json::parse(read_file(path("s.json")))["model_file"];
  const double bytes = std::filesystem::file_size(small), base_bytes = std::filesystem::file_size(path("m.onnx"));
  EXPECT_EQ(j["file_bytes"].get<double>(), bytes);
  EXPECT_DOUBLE_EQ(j["baseline"]["compression_ratio"].get<double>(), base_bytes / bytes);
  EXPECT_DOUBLE_EQ(j["baseline"]["theoretical_speedup"].get<double>(),
                   j["baseline"]["macs"].get<double>() / j["macs"].get<double>());
  EXPECT_GT(j["baseline"]["theoretical_speedup"].get<double>(), 2.0);  // half the channels: ~1/4 of the MACs
  EXPECT_NE(s.output.find("theoretical speed-up"), std::string::npos) << s.output;
}

TEST_F(BenchEnergy, AnUnknownMeterIsRefusedBeforeAnyWork) {
  expect_refused(
      {"bench", model(), "--energy", "joulescope", "--runs", "1"},
      "--energy joulescope: expected auto, rapl[:ROOT], hwmon[:ROOT], jetson[:ROOT], nvml, file:PATH or none", kUsage);
}

}  // namespace
}  // namespace stride::testing
