// RAPL on a fake powercap tree: the counters are read at both ends of each window, a counter that
// wraps at max_energy_range_uj is undone, and the sampler's readings give the peak power.
#include <gtest/gtest.h>

#include <cmath>

#include "measure/fake_sysfs.h"
#include "stride/measure/energy_meter.h"
#include "stride/measure/rapl_sensor.h"

namespace stride::testing {
namespace {

constexpr long long kRange = 1'000'000'000;  // µJ: the counters wrap after 1000 J

class RaplMeter : public ::testing::Test {
 protected:
  void SetUp() override {
    tree.write("intel-rapl/enabled", 1);  // the control type's folder, not a zone
    zone("intel-rapl:0", "package-0");
    zone("intel-rapl:0:0", "core");  // inside the package: not counted again
    zone("intel-rapl:0:1", "dram");
    zone("intel-rapl:1", "psys");  // the whole platform: includes the package
    set(998.0, 10.0);
  }
  void zone(const std::string& id, const std::string& name) {
    tree.write(id + "/name", name);
    tree.write(id + "/max_energy_range_uj", kRange);
    tree.write(id + "/energy_uj", 0);
  }
  // Counters in joules since an origin, written as µJ modulo the range.
  void set(double package_j, double dram_j) {
    tree.write("intel-rapl:0/energy_uj", std::llround(package_j * 1e6) % kRange);
    tree.write("intel-rapl:0:1/energy_uj", std::llround(dram_j * 1e6) % kRange);
    tree.write("intel-rapl:0:0/energy_uj", 123);  // would add to the total if it counted
    tree.write("intel-rapl:1/energy_uj", 456);
  }
  FakeTree tree;
  double now = 0;
};

TEST_F(RaplMeter, CountsPackageAndDramAcrossAWrapAround) {
  SensorProbe probe = probe_rapl(tree.root());
  ASSERT_TRUE(probe.sensor) << probe.reason;
  ASSERT_EQ(probe.sensor->channels().size(), 2u);
  EXPECT_EQ(probe.sensor->channels()[0].name, "package-0");
  EXPECT_EQ(probe.sensor->channels()[1].name, "dram-0");
  EnergyMeter meter(std::move(probe.sensor), [this] { return now; });

  // 50 W on the package and 2 W on DRAM from t = 0 to 0.125 s, sampled every 1/64 s (exact in
  // binary); the package counter passes 1000 J (its range) at t = 0.04 s.
  meter.sample();
  meter.begin();
  for (int step = 1; step <= 8; ++step) {
    now = step / 64.0;
    set(998.0 + 50 * now, 10.0 + 2 * now);
    meter.sample();
  }
  meter.end(0);
  // After the window: power that must not count.
  now = 0.25;
  set(998.0 + 6.25 + 500 * 0.125, 10.5);
  meter.sample();

  const EnergyResult r = meter.result(0);
  ASSERT_TRUE(r.measured()) << r.reason;
  EXPECT_NEAR(r.joules, 6.5, 6.5 * 1e-9);
  EXPECT_NEAR(r.channel_joules[0].second, 6.25, 1e-9);
  EXPECT_NEAR(r.channel_joules[1].second, 0.25, 1e-9);
  ASSERT_TRUE(r.peak_watts);
  EXPECT_NEAR(*r.peak_watts, 52.0, 1e-6);  // not the 500 W after the window
  EXPECT_EQ(r.windows, 1);
  EXPECT_EQ(r.seconds, 0.125);
}

TEST_F(RaplMeter, OnlyTheWindowsCount) {
  SensorProbe probe = probe_rapl(tree.root());
  ASSERT_TRUE(probe.sensor) << probe.reason;
  EnergyMeter meter(std::move(probe.sensor), [this] { return now; });
  double package = 100, dram = 1;
  for (int run = 0; run < 3; ++run) {
    package += 7;  // between windows
    set(package, dram);
    meter.begin();
    package += 2, dram += 0.5;  // inside
    set(package, dram);
    now += 0.001;
    meter.end(run % 2);  // two tallies, as two backends interleaved
  }
  EXPECT_NEAR(meter.result(0).joules, 2 * 2.5, 1e-9);
  EXPECT_NEAR(meter.result(1).joules, 1 * 2.5, 1e-9);
  EXPECT_EQ(meter.result(0).windows, 2);
}

TEST_F(RaplMeter, SaysWhyWhenThereIsNoRapl) {
  FakeTree empty("_empty");
  SensorProbe none = probe_rapl(empty.root());
  EXPECT_FALSE(none.sensor);
  EXPECT_NE(none.reason.find("no RAPL package or DRAM zone in " + empty.root().string()), std::string::npos)
      << none.reason;
  SensorProbe missing = probe_rapl("/nonexistent/powercap");
  EXPECT_FALSE(missing.sensor);
  EXPECT_NE(missing.reason.find("/nonexistent/powercap"), std::string::npos) << missing.reason;
  tree.write("intel-rapl:0/energy_uj", "garbage");
  SensorProbe bad = probe_rapl(tree.root());
  EXPECT_FALSE(bad.sensor);
  EXPECT_NE(bad.reason.find("expected an integer"), std::string::npos) << bad.reason;
}

}  // namespace
}  // namespace stride::testing
