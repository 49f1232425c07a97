// The meter's own rules, through a sensor whose power the test sets: the idle baseline, tallies,
// failures that turn into reasons, and the sampler thread (constant power: the energy must be that
// power times the windows' time, however long they lasted).
#include "stride/measure/energy_meter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "stride/core/error.h"
#include "stride/measure/energy_figures.h"
#include "stride/measure/energy_spec.h"
#include "stride/measure/nvml_sensor.h"

namespace stride {
namespace {

class SetPower : public EnergySensor {
 public:
  explicit SetPower(std::atomic<double>& watts) : watts_(watts) {}
  Kind kind() const override { return Kind::power; }
  std::string description() const override { return "set power"; }
  const std::vector<EnergyChannel>& channels() const override { return channels_; }
  std::vector<double> read() override {
    if (watts_ < 0) fail("the sensor went away");
    return {watts_.load()};
  }

 private:
  std::atomic<double>& watts_;
  std::vector<EnergyChannel> channels_{{"board", true}};
};

TEST(EnergyMeter, SubtractsTheIdleBaseline) {
  std::atomic<double> watts = 10;
  double now = 0;
  EnergyMeter meter(std::make_unique<SetPower>(watts), [&] { return now; });
  meter.sample();
  meter.begin_idle();
  now = 1;
  meter.sample();
  meter.end_idle();
  watts = 25;
  now = 2;
  meter.sample();
  meter.begin();
  now = 4;
  meter.sample();
  meter.end(0);
  const EnergyResult r = meter.result(0);
  ASSERT_TRUE(r.measured()) << r.reason;
  EXPECT_DOUBLE_EQ(*r.idle_watts, 10.0);
  EXPECT_DOUBLE_EQ(r.gross_joules, 50.0);
  EXPECT_DOUBLE_EQ(r.joules, 30.0);       // (25 - 10) W × 2 s
  EXPECT_DOUBLE_EQ(*r.peak_watts, 25.0);  // gross
}

TEST(EnergyMeter, AFailedReadingMakesTheResultNotAvailable) {
  std::atomic<double> watts = 10;
  double now = 0;
  EnergyMeter meter(std::make_unique<SetPower>(watts), [&] { return now; });
  meter.sample();
  meter.begin();
  watts = -1;
  now = 1;
  meter.sample();
  meter.end(0);
  const EnergyResult r = meter.result(0);
  EXPECT_FALSE(r.measured());
  EXPECT_EQ(r.reason, "the sensor went away");
}

TEST(EnergyMeter, WithoutSamplesThereIsNoFigure) {
  std::atomic<double> watts = 10;
  double now = 5;
  EnergyMeter meter(std::make_unique<SetPower>(watts), [&] { return now; });
  meter.begin();
  now = 6;
  meter.end(0);
  // Only the closing reading (at 6 s) exists: the window's start is not covered.
  const EnergyResult r = meter.result(0);
  EXPECT_FALSE(r.measured());
  EXPECT_NE(r.reason.find("does not cover the window"), std::string::npos) << r.reason;
  EXPECT_EQ(meter.result(7).reason, "no timed window was measured");
}

TEST(EnergyMeter, TheSamplerThreadIntegratesConstantPowerExactly) {
  std::atomic<double> watts = 42;
  EnergyMeter meter(std::make_unique<SetPower>(watts));
  meter.start_sampler(500);
  for (int run = 0; run < 3; ++run) {
    meter.begin();
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    meter.end(0);
  }
  meter.stop_sampler();
  const EnergyResult r = meter.result(0);
  ASSERT_TRUE(r.measured()) << r.reason;
  EXPECT_EQ(r.windows, 3);
  EXPECT_GT(r.seconds, 0);
  EXPECT_NEAR(r.joules, 42 * r.seconds, 42 * r.seconds * 1e-9);
  EXPECT_DOUBLE_EQ(*r.peak_watts, 42.0);
}

TEST(EnergyMeter, ClearingForgetsTheWindowsButNotTheBaseline) {
  std::atomic<double> watts = 4;
  double now = 0;
  EnergyMeter meter(std::make_unique<SetPower>(watts), [&] { return now; });
  meter.sample();
  meter.begin_idle();
  now = 1;
  meter.end_idle();
  meter.sample();
  meter.clear();
  now = 2;  // a new level after a gap: the trace ramps 4 → 6 W before the window, not inside it
  watts = 6;
  meter.sample();
  meter.begin();
  now = 4;
  meter.end(0);
  meter.sample();
  const EnergyResult r = meter.result(0);
  ASSERT_TRUE(r.measured()) << r.reason;
  EXPECT_DOUBLE_EQ(*r.idle_watts, 4.0);
  EXPECT_DOUBLE_EQ(r.joules, 4.0);  // (6 - 4) W × 2 s
}

TEST(EnergyFigures, PerInferenceEdpAndPeak) {
  EnergyResult r;
  r.windows = 20;
  r.joules = 2.0;  // 100 mJ per inference of a batch of 4
  r.peak_watts = 12.5;
  const EnergyFigures f = energy_figures(r, 4, 8.0);
  EXPECT_DOUBLE_EQ(*f.mj_per_inference, 100.0);
  EXPECT_DOUBLE_EQ(*f.mj_per_sample, 25.0);
  EXPECT_DOUBLE_EQ(*f.edp_mj_ms, 800.0);            // 100 mJ × 8 ms
  EXPECT_DOUBLE_EQ(*f.edp_per_sample_mj_ms, 50.0);  // 25 mJ × 2 ms
  EXPECT_EQ(figure_cell(f.peak_watts, 2), "12.50");
  nlohmann::json j;
  put_energy(j, "energy", f);
  EXPECT_EQ(j["energy"]["edp_mj_ms"], 800.0);
  EXPECT_EQ(j["energy"]["peak_watts"], 12.5);
}

// A machine without sensors: every figure is n/a and says why (in JSON: null beside the reason).
TEST(EnergyFigures, WithoutASensorEveryCellIsNotAvailableWithTheReason) {
  // As `--energy auto` gives on a machine without meters (a named one fails instead, below).
  const auto meter = std::make_unique<EnergyMeter>("rapl: no /nonexistent/powercap (no powercap RAPL on this machine)");
  ASSERT_FALSE(meter->available());
  meter->begin();
  meter->end(0);
  const EnergyFigures f = energy_figures(meter->result(0), 1, 5.0);
  for (const auto* v : {&f.mj_per_inference, &f.mj_per_sample, &f.edp_mj_ms, &f.edp_per_sample_mj_ms, &f.peak_watts})
    EXPECT_EQ(figure_cell(*v, 3), "n/a");
  EXPECT_EQ(f.result.reason, "rapl: no /nonexistent/powercap (no powercap RAPL on this machine)");
  nlohmann::json j;
  put_energy(j, "energy", f);
  EXPECT_TRUE(j["energy"].is_null());
  EXPECT_EQ(j["energy_reason"], f.result.reason);
}

TEST(EnergySpec, ChoosesTheMeterOrSaysWhyNot) {
  EXPECT_EQ(make_energy_meter("none")->reason(), "not measured (--energy none)");
  EXPECT_TRUE(make_energy_meter("file:/some/log.csv")->available());  // read when results are asked for
  const SensorProbe nvml = probe_nvml("/nonexistent/libnvidia-ml.so.1");
  EXPECT_FALSE(nvml.sensor);
  EXPECT_NE(nvml.reason.find("cannot load /nonexistent/libnvidia-ml.so.1 (no NVIDIA driver)"), std::string::npos)
      << nvml.reason;
  // A meter named on the command line that cannot be read is a failure, not "n/a".
  try {
    make_energy_meter("rapl:/nonexistent/powercap");
    ADD_FAILURE() << "a named meter that cannot be read was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--energy rapl: no /nonexistent/powercap"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make_energy_meter("joulescope"), Error);
  EXPECT_THROW(make_energy_meter("rapl:"), Error);
  EXPECT_THROW(make_energy_meter("none:/x"), Error);
  // auto on this machine: a meter, or the reasons of both candidates.
  const auto chosen = make_energy_meter("auto");
  if (!chosen->available()) {
    EXPECT_NE(chosen->reason().find("rapl: "), std::string::npos) << chosen->reason();
    EXPECT_NE(chosen->reason().find("jetson: "), std::string::npos) << chosen->reason();
  }
}

}  // namespace
}  // namespace stride
