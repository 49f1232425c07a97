// hwmon on a fake tree: power*_input (µW) sampled and integrated over the window, energy*_input
// (µJ) counters read at its ends.
#include <gtest/gtest.h>

#include "measure/fake_sysfs.h"
#include "stride/measure/energy_meter.h"
#include "stride/measure/hwmon_sensor.h"

namespace stride::testing {
namespace {

TEST(HwmonMeter, IntegratesPowerSamplesOverExactlyTheWindow) {
  FakeTree tree;
  tree.write("hwmon0/name", "acpitz");  // a thermometer: no power, ignored
  tree.write("hwmon0/temp1_input", 40000);
  tree.write("hwmon1/name", "psu");
  tree.write("hwmon1/power1_label", "12V");
  SensorProbe probe = probe_hwmon(tree.root());
  EXPECT_FALSE(probe.sensor);  // power1_input does not exist yet
  EXPECT_NE(probe.reason.find("no hwmon power*_input or energy*_input"), std::string::npos) << probe.reason;

  tree.write("hwmon1/power1_input", 0);
  probe = probe_hwmon(tree.root());
  ASSERT_TRUE(probe.sensor) << probe.reason;
  EXPECT_EQ(probe.sensor->kind(), EnergySensor::Kind::power);
  EXPECT_EQ(probe.sensor->channels().at(0).name, "psu/12V");
  double now = 0;
  EnergyMeter meter(std::move(probe.sensor), [&] { return now; });
  // Samples at t = -1 … 4 s: 1000 W outside, then 10, 20, 30, 40 W at t = 0 … 3 (a ramp), 1000 W.
  const double watts[] = {1000, 10, 20, 30, 40, 1000};
  for (int i = 0; i < 6; ++i) {
    now = i - 1;
    tree.write("hwmon1/power1_input", static_cast<long long>(watts[i] * 1e6));
    meter.sample();
    if (now == 0) {  // the window opens half-way to the next sample …
      now = 0.5;
      meter.begin();
    }
    if (now == 2) {  // … and closes half-way after the last inside
      now = 2.5;
      meter.end(0);
    }
  }
  const EnergyResult r = meter.result(0);
  ASSERT_TRUE(r.measured()) << r.reason;
  EXPECT_NEAR(r.joules, 50.0, 50.0 * 1e-9);  // ∫ from 0.5 to 2.5 of (10 + 10 t) dt
  EXPECT_DOUBLE_EQ(*r.peak_watts, 35.0);     // the interpolated end; the 1000 W samples are outside
  EXPECT_DOUBLE_EQ(r.seconds, 2.0);
}

TEST(HwmonMeter, ReadsEnergyCountersAtTheWindowsEnds) {
  FakeTree tree;
  tree.write("hwmon2/name", "amd_energy");
  tree.write("hwmon2/energy1_input", 5'000'000);
  tree.write("hwmon2/energy1_label", "Esocket0");
  tree.write("hwmon2/power1_input", 99'000'000);         // power is ignored where energy is counted
  SensorProbe probe = probe_hwmon(tree.path("hwmon2"));  // one device as the root
  ASSERT_TRUE(probe.sensor) << probe.reason;
  EXPECT_EQ(probe.sensor->kind(), EnergySensor::Kind::counter);
  ASSERT_EQ(probe.sensor->channels().size(), 1u);
  EXPECT_EQ(probe.sensor->channels()[0].name, "amd_energy/Esocket0");
  double now = 0;
  EnergyMeter meter(std::move(probe.sensor), [&] { return now; });
  meter.sample();
  meter.begin();
  now = 0.5;
  tree.write("hwmon2/energy1_input", 20'000'000);  // 15 J in 0.5 s: 30 W
  meter.sample();
  now = 1.0;
  tree.write("hwmon2/energy1_input", 30'000'000);  // 10 J in 0.5 s: 20 W
  meter.sample();
  meter.end(0);
  const EnergyResult r = meter.result(0);
  ASSERT_TRUE(r.measured()) << r.reason;
  EXPECT_DOUBLE_EQ(r.joules, 25.0);
  EXPECT_DOUBLE_EQ(*r.peak_watts, 30.0);
}

}  // namespace
}  // namespace stride::testing
