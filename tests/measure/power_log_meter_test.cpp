// An external power log (CSV of epoch seconds, watts) integrated over the run's windows, which are
// stamped on the same wall clock.
#include <gtest/gtest.h>

#include <cmath>

#include "measure/fake_sysfs.h"
#include "stride/core/error.h"
#include "stride/measure/energy_meter.h"
#include "stride/measure/power_log.h"

namespace stride::testing {
namespace {

TEST(PowerLogMeter, IntegratesTheLogOverTheWindows) {
  FakeTree tree;
  // A JouleScope-like export: 2 W until t0 + 1 s, then 6 W; a spike long before the windows.
  std::string csv = "# exported\ntimestamp,current,voltage,power\n1700000000.0,1,900,900\n";
  for (int i = 1; i <= 8; ++i) csv += fmt::format("{:.1f},0,5,{}\n", 1700000000.0 + i * 0.5, i <= 2 ? 2 : 6);
  tree.write("log.csv", csv);
  double now = 0;
  EnergyMeter meter(tree.root() / "log.csv", [&] { return now; });
  now = 1700000000.75;  // 0.25 s at 2 W, then a 0.5 s ramp 2 → 6 W … (from the row at .5 to the one at 1.5)
  meter.begin();
  now = 1700000001.75;  // … and 0.25 s at 6 W: 0.5 + 2 + 1.5 = 4 J
  meter.end(0);
  now = 1700000003.0;  // a second window, 6 W throughout: 6 × 0.5 = 3 J
  meter.begin();
  now = 1700000003.5;
  meter.end(0);
  const EnergyResult r = meter.result(0);
  ASSERT_TRUE(r.measured()) << r.reason;
  EXPECT_NEAR(r.joules, 7.0, 7.0 * 1e-6);  // epoch seconds in doubles: about 0.2 µs resolution
  EXPECT_DOUBLE_EQ(*r.peak_watts, 6.0);    // not the 900 W row before the windows
  EXPECT_EQ(r.windows, 2);
}

TEST(PowerLogMeter, SaysWhyWhenTheLogDoesNotCoverTheRun) {
  FakeTree tree;
  tree.write("log.csv", "100,5\n101,5\n");
  double now = 200;
  EnergyMeter meter(tree.root() / "log.csv", [&] { return now; });
  meter.begin();
  now = 201;
  meter.end(0);
  const EnergyResult r = meter.result(0);
  EXPECT_FALSE(r.measured());
  EXPECT_NE(r.reason.find("the log (100.000 to 101.000 s) does not cover the window 200.000 to 201.000 s"),
            std::string::npos)
      << r.reason;

  EnergyMeter missing(tree.root() / "absent.csv", [&] { return now; });
  missing.begin();
  missing.end(0);
  EXPECT_NE(missing.result(0).reason.find("cannot read the power log"), std::string::npos);
}

// Negative, NaN or infinite watts are no power: a log holding them is refused at the line, instead of
// integrating into negative or NaN millijoules.
TEST(PowerLog, RefusesReadingsThatCannotBePowers) {
  FakeTree tree;
  for (const std::string watts : {"-3", "nan", "inf"}) {
    tree.write("w.csv", "1,2\n2," + watts + "\n3,2\n");
    try {
      read_power_log(tree.root() / "w.csv");
      FAIL() << watts << " W was read";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("w.csv line 2: " + watts + " W is not a power"), std::string::npos)
          << e.what();
    }
  }
}

// A sensor's impossible reading is refused as well: the meter says why instead of integrating it.
TEST(PowerTrace, RefusesReadingsThatCannotBePowers) {
  PowerTrace trace;
  trace.add(0, 1);
  EXPECT_THROW(trace.add(1, -0.5), Error);
  EXPECT_THROW(trace.add(1, std::nan("")), Error);
  EXPECT_EQ(trace.samples().size(), 1u);
}

// A power log the user named (file:LOG.csv) that cannot be read fails its result.
TEST(PowerLogMeter, ANamedLogThatCannotBeReadFails) {
  FakeTree tree;
  double now = 0;
  EnergyMeter missing(tree.root() / "absent.csv", [&] { return now; });
  missing.require();
  missing.begin();
  missing.end(0);
  EXPECT_THROW(missing.result(0), Error);
}

TEST(PowerLog, NamesTheLineItCannotRead) {
  FakeTree tree;
  tree.write("bad.csv", "1,2\n2,3\n3,three\n");
  try {
    read_power_log(tree.root() / "bad.csv");
    FAIL() << "a malformed log was read";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv line 3: expected a timestamp in seconds and watts, found '3,three'"),
              std::string::npos)
        << e.what();
  }
  tree.write("backwards.csv", "2,1\n1,1\n");
  EXPECT_THROW(read_power_log(tree.root() / "backwards.csv"), Error);
  tree.write("header.csv", "when,amps\n1,2\n");
  EXPECT_THROW(read_power_log(tree.root() / "header.csv"), Error);
}

}  // namespace
}  // namespace stride::testing
