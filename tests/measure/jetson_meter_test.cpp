// Jetson INA3221 rails on a fake hwmon tree: power = bus voltage × current per rail, integrated over
// the window; rails named by the modules they feed; the board's input rail, when present, is the total.
#include <gtest/gtest.h>

#include "measure/fake_sysfs.h"
#include "stride/measure/energy_meter.h"
#include "stride/measure/jetson_sensor.h"

namespace stride::testing {
namespace {

// An AGX Xavier's two monitors: GPU, CPU, SOC on one; CV, VDDRQ (DDR), SYS5V on the other.
void xavier(const FakeTree& tree, int gpu_milliamps) {
  const std::pair<const char*, int> rails[2][3] = {{{"GPU", gpu_milliamps}, {"CPU", 400}, {"SOC", 600}},
                                                   {{"CV", 200}, {"VDDRQ", 300}, {"SYS5V", 800}}};
  for (int d = 0; d < 2; ++d) {
    const std::string dev = "hwmon" + std::to_string(d + 3) + "/";
    tree.write(dev + "name", "ina3221");
    for (int i = 0; i < 3; ++i) {
      const std::string n = std::to_string(i + 1);
      tree.write(dev + "in" + n + "_label", rails[d][i].first);
      tree.write(dev + "in" + n + "_input", 5000);                  // mV
      tree.write(dev + "curr" + n + "_input", rails[d][i].second);  // mA
    }
    tree.write(dev + "in4_input", 40);  // a shunt voltage: no label, not a rail
  }
}

TEST(JetsonMeter, IntegratesVoltageTimesCurrentPerRail) {
  FakeTree tree;
  tree.write("hwmon0/name", "cpu_thermal");
  xavier(tree, 1000);
  SensorProbe probe = probe_jetson(tree.root());
  ASSERT_TRUE(probe.sensor) << probe.reason;
  const auto& channels = probe.sensor->channels();
  ASSERT_EQ(channels.size(), 6u);
  EXPECT_EQ(channels[4].name, "DDR");
  EXPECT_FALSE(channels[5].in_total);  // SYS5V is not one of the modules the paper summed
  double now = 0;
  EnergyMeter meter(std::move(probe.sensor), [&] { return now; });
  // Module rails: GPU 5 + CPU 2 + SOC 3 + CV 1 + DDR 1.5 = 12.5 W; the GPU doubles at t = 1.
  for (int i = 0; i <= 3; ++i) {
    now = i * 0.5;
    if (i == 2) xavier(tree, 2000);
    meter.sample();
    if (i == 0) {
      now = 0.25;
      meter.begin();
    }
    if (i == 2) {
      now = 1.25;
      meter.end(0);
    }
  }
  const EnergyResult r = meter.result(0);
  ASSERT_TRUE(r.measured()) << r.reason;
  // 0.25 s at 12.5 W, 0.5 s rising from 12.5 to 17.5 W, 0.25 s at 17.5 W.
  EXPECT_NEAR(r.joules, 3.125 + 7.5 + 4.375, 1e-9);
  EXPECT_DOUBLE_EQ(*r.peak_watts, 17.5);
  EXPECT_EQ(r.channel_joules[0].first, "GPU");
  EXPECT_NEAR(r.channel_joules[0].second, 1.25 + 3.75 + 2.5, 1e-9);
  EXPECT_NEAR(r.channel_joules[5].second, 4.0, 1e-9);  // SYS5V, shown apart
}

TEST(JetsonMeter, TheBoardsInputRailIsTheTotal) {
  FakeTree tree;  // an Orin's labels
  const std::pair<const char*, int> rails[] = {{"VDD_IN", 2000}, {"VDD_CPU_GPU_CV", 900}, {"VDD_SOC", 500}};
  for (int i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i + 1);
    tree.write("hwmon1/in" + n + "_label", rails[i].first);
    tree.write("hwmon1/in" + n + "_input", 5000);
    tree.write("hwmon1/curr" + n + "_input", rails[i].second);
  }
  tree.write("hwmon1/name", "ina3221");
  SensorProbe probe = probe_jetson(tree.path("hwmon1"));
  ASSERT_TRUE(probe.sensor) << probe.reason;
  EXPECT_EQ(probe.sensor->channels()[0].name, "input");
  EXPECT_EQ(probe.sensor->channels()[1].name, "CPU+GPU+CV");
  EXPECT_FALSE(probe.sensor->channels()[1].in_total);
  double now = 0;
  EnergyMeter meter(std::move(probe.sensor), [&] { return now; });
  meter.sample();
  meter.begin();
  now = 2;
  meter.end(0);
  meter.sample();
  EXPECT_NEAR(meter.result(0).joules, 20.0, 1e-9);  // 10 W for 2 s: the input rail only
}

TEST(JetsonMeter, NamesRailsByTheirModules) {
  EXPECT_EQ(jetson_rail_name("GPU"), "GPU");
  EXPECT_EQ(jetson_rail_name("VDDRQ"), "DDR");
  EXPECT_EQ(jetson_rail_name("POM_5V_IN"), "input");
  EXPECT_EQ(jetson_rail_name("VDD_CPU_GPU_CV"), "CPU+GPU+CV");
  EXPECT_EQ(jetson_rail_name("SYS5V"), "SYS5V");
}

TEST(JetsonMeter, SaysWhyWhenThereAreNoRails) {
  FakeTree tree;
  tree.write("hwmon0/name", "cpu_thermal");
  const SensorProbe probe = probe_jetson(tree.root());
  EXPECT_FALSE(probe.sensor);
  EXPECT_NE(probe.reason.find("no ina3221 rails"), std::string::npos) << probe.reason;
}

}  // namespace
}  // namespace stride::testing
