#include "stride/eval/accuracy_report.h"

#include <gtest/gtest.h>

namespace stride::eval {
namespace {

CasiaBResult casia_b_result() {
  CasiaBResult r;
  r.views = {0, 90, 180};
  r.conditions = {{"NM#5-6", {{100, 50, 0}, {50, 100, 50}, {0, 50, 100}}, {25, 50, 25}, 100.0 / 3, 12},
                  {"BG#1-2", {}, {50.0 / 3, 50, 200.0 / 3}, 400.0 / 9, 12},
                  {"CL#1-2", {}, {0, 12.5, 100}, 37.5, 12}};
  r.mean = 37.962962;
  return r;
}

TumGaidResult tum_gaid_result() {
  return {{{"N5-N6", 6, 6, 100}, {"B1-B2", 6, 5, 500.0 / 6}, {"S1-S2", 6, 2, 200.0 / 6}}, 650.0 / 9};
}

TEST(AccuracyReport, CasiaBTableHasTheProbeViewsAsColumns) {
  EXPECT_EQ(to_text(casia_b_result()),
            "CASIA-B rank-1 accuracy (%), gallery NM#1-4; each probe view averaged over the other gallery views\n"
            "Probe \\ view      0     90     180   Mean  Probes    95 % CI\n"
            "------------------------------------------------------------\n"
            "NM#5-6        25.00  50.00   25.00  33.33      12  13.8–60.9\n"
            "BG#1-2        16.67  50.00   66.67  44.44      12  21.3–70.3\n"
            "CL#1-2         0.00  12.50  100.00  37.50      12  16.5–64.6\n"
            "Mean of the probe conditions: 37.96 % (36 probes; 95 % CI 24.0–54.2)\n");
}

TEST(AccuracyReport, TumGaidTableHasOneRowPerProbeConditionAndTheMean) {
  EXPECT_EQ(to_text(tum_gaid_result()),
            "TUM-GAID rank-1 accuracy (%), gallery N1-N4\n"
            "Probe  Probes  Correct  Rank-1     95 % CI\n"
            "------------------------------------------\n"
            "N5-N6       6        6  100.00  61.0–100.0\n"
            "B1-B2       6        5   83.33   43.6–97.0\n"
            "S1-S2       6        2   33.33    9.7–70.0\n"
            "Mean       18            72.22   49.1–87.5\n");
}

TEST(AccuracyReport, CountsTheProbesOfEveryCondition) {
  EXPECT_EQ(probe_count(casia_b_result()), 36);
  EXPECT_EQ(probe_count(tum_gaid_result()), 18);
}

TEST(AccuracyReport, JsonCarriesEveryFigure) {
  const nlohmann::json c = to_json(casia_b_result());
  EXPECT_EQ(c["dataset"], "CASIA-B");
  EXPECT_EQ(c["views"], nlohmann::json({0, 90, 180}));
  EXPECT_EQ(c["conditions"][0]["probe_set"], "NM#5-6");
  EXPECT_EQ(c["conditions"][0]["by_gallery_view"][1], nlohmann::json({50, 100, 50}));
  EXPECT_EQ(c["conditions"][2]["per_probe_view"], nlohmann::json({0, 12.5, 100}));
  EXPECT_DOUBLE_EQ(c["conditions"][1]["mean"].get<double>(), 400.0 / 9);
  EXPECT_EQ(c["conditions"][1]["probes"], 12);
  EXPECT_DOUBLE_EQ(c["mean"].get<double>(), 37.962962);

  const nlohmann::json t = to_json(tum_gaid_result());
  EXPECT_EQ(t["dataset"], "TUM-GAID");
  EXPECT_EQ(t["conditions"][1]["probe_set"], "B1-B2");
  EXPECT_EQ(t["conditions"][1]["probes"], 6);
  EXPECT_EQ(t["conditions"][1]["correct"], 5);
  EXPECT_DOUBLE_EQ(t["conditions"][2]["rank1"].get<double>(), 200.0 / 6);
  EXPECT_DOUBLE_EQ(t["mean"].get<double>(), 650.0 / 9);
}

}  // namespace
}  // namespace stride::eval
