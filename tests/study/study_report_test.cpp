// The study's tables, plots and report, from cell results with known figures: every number lands in
// its column, energy reads n/a with the meter's reason, and every plot is well-formed SVG with
// axes and one marker per point.
#include "stride/study/study_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>

#include "stride/core/atomic_file.h"
#include "stride/study/study_figures.h"
#include "stride/study/study_tables.h"
#include "stride/study/timing_provenance.h"

namespace stride::study {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// True when `xml` is one well-formed element: tags nest and close, attribute values are quoted.
bool well_formed(const std::string& xml, std::string& why) {
  std::vector<std::string> open;
  size_t at = 0, roots = 0;
  while ((at = xml.find('<', at)) != std::string::npos) {
    const size_t end = xml.find('>', at);
    if (end == std::string::npos) return why = "unclosed '<'", false;
    std::string tag = xml.substr(at + 1, end - at - 1);
    at = end + 1;
    if (tag.starts_with('/')) {
      if (open.empty() || open.back() != tag.substr(1))
        return why = "</" + tag.substr(1) + "> closes nothing open", false;
      open.pop_back();
      continue;
    }
    const bool empty = tag.ends_with('/');
    if (empty) tag.pop_back();
    const std::string name = tag.substr(0, tag.find_first_of(" \n"));
    const std::regex attributes(R"(^[A-Za-z][\w:-]*(\s+[\w:-]+="[^"<]*")*\s*$)");
    if (!std::regex_match(tag, attributes)) return why = "malformed tag <" + tag + ">", false;
    if (open.empty()) ++roots;
    if (!empty) open.push_back(name);
  }
  if (!open.empty()) return why = "<" + open.back() + "> never closed", false;
  if (roots != 1) return why = std::to_string(roots) + " root elements", false;
  return true;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

Json timing(const std::string& backend, double median_ms) {
  Json t = {{"backend", backend}, {"latency", {{"median_ms", median_ms}}}};
  if (backend == "onednn")
    t["energy"] = {
        {"meter", "none"},        {"mj_per_inference", "n/a"},     {"edp_mj_ms", "n/a"},
        {"mj_per_sample", "n/a"}, {"edp_per_sample_mj_ms", "n/a"}, {"reason", "no energy meter found (test)"}};
  return t;
}

// Bench results with batch-1 time `ms1` on onednn (and LibTorch 5x slower when `torch`); batch b
// takes b * ms1 * 0.75.
Json bench(double ms1, const std::vector<int>& batches, bool torch) {
  Json j;
  for (int b : batches) {
    const double ms = b == 1 ? ms1 : b * ms1 * 0.75;
    Json jb = {{"batch", b}, {"backends", Json::array({timing("onednn", ms)})}};
    if (torch) jb["backends"].push_back(timing("torch", 5 * ms));
    j["batches"].push_back(jb);
  }
  return j;
}

class StudyReport : public ::testing::Test {
 protected:
  void SetUp() override {
    preset_ = study_preset("quick");
    keep_models(preset_, {"gaitset"});
    preset_.sensitivity_ratios = {0.3, 0.6};
    const std::vector<int> all = preset_.batches, ends = {1, 8};
    add("eval/gaitset/untrained", {{"mean_rank1", 40.0}});
    // 100 probes over two conditions: the sum is what the tables show.
    const Json conditions =
        Json::array({{{"probe_set", "NM#5-6"}, {"probes", 60}}, {{"probe_set", "BG#1-2"}, {"probes", 40}}});
    add("eval/gaitset/fp32", {{"mean_rank1", 80.0},
                              {"classifier_seconds", 0.1},
                              {"test_recordings", 100},
                              {"result", {{"conditions", conditions}}}});
    add("bench/gaitset/fp32", bench(2.0, all, true));
    add("eval/gaitset/int8", {{"mean_rank1", 79.0}, {"result", {{"conditions", conditions}}}});
    add("bench/gaitset/int8", bench(1.0, all, false));
    add("quantize/gaitset/int8",
        {{"accuracy_before", 80.0}, {"methods", {{"minmax", 77.5}, {"entropy", 79.0}}}, {"method", "entropy"}});
    add("prune/gaitset/pruned-30",
        {{"requested_ratio", 0.3},
         {"real_ratio", 0.25},
         {"cost",
          {{"params", {2'500'000, 1'750'000}}, {"macs", {1'013'861'120, 506'930'560}}, {"theoretical_speedup", 2.0}}}});
    add("eval/gaitset/pruned-30", {{"mean_rank1", 78.5}});
    add("bench/gaitset/pruned-30", bench(1.6, ends, false));
    add("sensitivity/gaitset",
        {{"baseline_rank1", 80.0},
         {"probes", 100},
         {"split", "test"},
         {"curves", {{{"layers", "set_layer1"}, {"channels", 16}, {"ratios", {0.3, 0.6}}, {"rank1", {75.0, 50.0}}}}}});
  }
  void add(const std::string& id, Json result) {
    CellOutcome o;
    o.id = id;
    o.state = CellOutcome::State::cached;
    o.result = std::move(result);
    outcomes_.push_back(std::move(o));
  }
  const ReportTable& table(const std::vector<ReportTable>& tables, const std::string& id) {
    for (const ReportTable& t : tables)
      if (t.id == id) return t;
    throw std::runtime_error("no table " + id);
  }
  std::string column(const ReportTable& t, size_t row, const std::string& header) {
    for (size_t c = 0; c < t.header.size(); ++c)
      if (t.header[c] == header) return t.rows.at(row).at(c);
    throw std::runtime_error("no column " + header);
  }

  StudyPreset preset_;
  std::vector<CellOutcome> outcomes_;
};

TEST_F(StudyReport, TablesPutEachFigureInItsColumn) {
  const std::vector<ReportTable> tables = study_tables(preset_, index_outcomes(outcomes_));
  const ReportTable& t3 = table(tables, "table3");
  ASSERT_EQ(t3.rows.size(), 1u);
  EXPECT_EQ(column(t3, 0, "rank-1 % untrained"), "40.00");
  EXPECT_EQ(column(t3, 0, "rank-1 % trained"), "80.00");
  EXPECT_EQ(column(t3, 0, "probes"), "100");
  EXPECT_EQ(column(t3, 0, "95 % CI trained"), "71.1–86.7");  // Wilson, 80/100, by hand
  EXPECT_NE(std::find_if(t3.notes.begin(), t3.notes.end(),
                         [](const std::string& n) {
                           return n.find("casia-b-quick (gaitset)") != n.npos && n.find("seed 1") != n.npos;
                         }),
            t3.notes.end());
  EXPECT_EQ(column(t3, 0, "FE ms onednn"), "2.000");
  EXPECT_EQ(column(t3, 0, "FE ms LibTorch"), "10.000");
  EXPECT_EQ(column(t3, 0, "onednn speed-up"), "5.00x");
  EXPECT_EQ(column(t3, 0, "classifier ms"), "1.000");  // 0.1 s over 100 test recordings
  EXPECT_EQ(column(t3, 0, "mJ/inference"), "n/a");
  EXPECT_NE(std::find(t3.notes.begin(), t3.notes.end(), "energy and EDP n/a: no energy meter found (test)"),
            t3.notes.end());

  const ReportTable& t4 = table(tables, "table4");
  ASSERT_EQ(t4.rows.size(), 4u);  // fp32, fp16, bf16, int8
  EXPECT_EQ(column(t4, 3, "b1 vs FP32"), "2.00x");
  EXPECT_EQ(column(t4, 3, "rank-1 %"), "79.00");
  EXPECT_EQ(column(t4, 3, "probes"), "100");
  EXPECT_EQ(column(t4, 1, "95 % CI"), "-");  // fp16 was not evaluated
  EXPECT_EQ(column(t4, 1, "b1 ms"), "-");  // the fp16 cells did not run

  const ReportTable& t6 = table(tables, "table6");
  EXPECT_EQ(column(t6, 0, "M params"), "2.50");  // the unpruned model: the prune cell's "before"
  EXPECT_EQ(column(t6, 0, "GMAC"), "1.014");
  EXPECT_EQ(column(t6, 0, "theoretical speed-up"), "1.00x");
  EXPECT_EQ(column(t6, 1, "requested %"), "30.0");
  EXPECT_EQ(column(t6, 1, "real %"), "25.0");
  EXPECT_EQ(column(t6, 1, "M params"), "1.75");
  EXPECT_EQ(column(t6, 1, "GMAC"), "0.507");
  EXPECT_EQ(column(t6, 1, "theoretical speed-up"), "2.00x");
  EXPECT_EQ(column(t6, 1, "measured b1"), "1.25x");
  EXPECT_EQ(column(t6, 1, "Δ rank-1"), "-1.50");

  // GaitSet's prune flags beyond the paper's recipe are in its prune cells and said under the table.
  EXPECT_NE(std::find_if(t6.notes.begin(), t6.notes.end(),
                         [](const std::string& n) { return n.find("--normalize --finetune-lr 5e-4") != n.npos; }),
            t6.notes.end());
  for (const CellSpec& cell : study_cells(preset_))
    if (cell.id.starts_with("prune/gaitset/"))
      EXPECT_NE(std::find(cell.args.begin(), cell.args.end(), "--normalize"), cell.args.end()) << cell.id;

  const ReportTable& calibration = table(tables, "calibration");
  EXPECT_EQ(column(calibration, 0, "minmax"), "77.50");
  EXPECT_EQ(column(calibration, 0, "chosen"), "entropy");
  EXPECT_EQ(column(calibration, 0, "probes"), "100");
  EXPECT_EQ(column(calibration, 0, "95 % CI chosen"), "70.0–85.8");
  EXPECT_EQ(column(table(tables, "sensitivity"), 0, "60 % pruned"), "50.00");
  EXPECT_EQ(column(table(tables, "sensitivity"), 0, "95 % CI unpruned"), "71.1–86.7");
  // One spelling of the energy-delay product in every table.
  for (const ReportTable& t : tables)
    for (const std::string& h : t.header) EXPECT_EQ(h.find("mJ*ms"), std::string::npos) << t.id << ": " << h;
  EXPECT_NE(to_markdown(t3).find("| gaitset | knn | 40.00 | 80.00 | 100 | 71.1–86.7 |"), std::string::npos)
      << to_markdown(t3);
}

// A model trained with 1 and with 2 threads differs: every cell that trains says its thread count in
// its command (hence in its cache key) and runs alone; no other cell does either.
TEST(StudyPlan, TrainingCellsFixTheirThreadCount) {
  StudyPreset preset = study_preset("quick");
  preset.training_threads = 3;
  size_t training = 0;
  for (const CellSpec& cell : study_cells(preset)) {
    const bool trains = cell.args.front() == "train" || cell.args.front() == "prune";
    training += trains;
    EXPECT_EQ(cell.fixed_threads, trains) << cell.id;
    const auto threads = std::find(cell.args.begin(), cell.args.end(), "--threads");
    EXPECT_EQ(threads != cell.args.end(), trains) << cell.id;
    if (trains) {
      ASSERT_NE(threads + 1, cell.args.end());
      EXPECT_EQ(*(threads + 1), "3") << cell.id;
      EXPECT_TRUE(cell.runs_alone()) << cell.id;
    }
  }
  EXPECT_EQ(training, 2u /* cnn2d, cnn3d label */ + 3u /* train */ + 2u * 2u /* cnn2d, gaitset prunes */);
}

TEST_F(StudyReport, EveryPlotIsWellFormedSvgWithAxesAndItsPoints) {
  const std::vector<ReportFigure> figures = study_figures(preset_, index_outcomes(outcomes_));
  size_t drawn = 0;
  for (const ReportFigure& f : figures) {
    if (f.svg.empty()) {
      EXPECT_FALSE(f.not_drawn.empty()) << f.id;
      continue;
    }
    ++drawn;
    std::string why;
    EXPECT_TRUE(well_formed(f.svg, why)) << f.id << ": " << why;
    EXPECT_EQ(count(f.svg, "<g class=\"x-axis\">"), 1u) << f.id;
    EXPECT_EQ(count(f.svg, "<g class=\"y-axis\">"), 1u) << f.id;
    EXPECT_GT(count(f.svg, "<circle "), 0u) << f.id;
  }
  EXPECT_EQ(drawn, 4u);  // accuracy–latency, per-sample time, speed-ups, sensitivity
  auto find = [&](const std::string& id) {
    return *std::find_if(figures.begin(), figures.end(), [&](const ReportFigure& f) { return f.id == id; });
  };
  // fp32, int8 and pruned-30 measured: three variants, and the front joins those not beaten.
  const ReportFigure accuracy = find("accuracy-latency");
  EXPECT_EQ(count(accuracy.svg, "<title>"), 3u + 2u);  // 3 points + the front's 2 (pruned-30 is beaten by int8)
  EXPECT_EQ(find("batch-time").svg.empty(), false);
  EXPECT_EQ(count(find("batch-time").svg, "<circle "), 8u);  // fp32 and int8 at 4 batch sizes
  EXPECT_NE(find("accuracy-edp").not_drawn.find("no energy meter found (test)"), std::string::npos);
  EXPECT_NE(find("batch-energy").not_drawn.find("no energy meter found (test)"), std::string::npos);
}

// Times from a cluster: the notes name each machine when there are several, and the cells measured
// on a shared node; a local study's times say they were measured alone.
TEST(TimingProvenance, TheNotesSayWhereEachTimeWasMeasured) {
  auto cell = [](const std::string& id, const std::string& host, const std::string& cpu, const std::string& timing) {
    CellOutcome o;
    o.id = id;
    o.record = {{"machine", {{"host", host}, {"cpu", cpu}}}};
    if (!timing.empty()) o.record["machine"]["timing"] = timing;
    return o;
  };
  const std::vector<CellOutcome> cluster = {cell("bench/a/fp32", "n1", "Xeon", "exclusive node"),
                                            cell("bench/a/int8", "n2", "EPYC", "shared node"),
                                            cell("train/a", "n3", "EPYC", "")};
  const std::vector<std::string> notes = timing_notes(index_outcomes(cluster));
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_EQ(notes[0],
            "times measured on 2 machines (n1 (Xeon): 1 cells; n2 (EPYC): 1 cells): a ratio of two times may compare "
            "two machines; results.json names each cell's machine");
  EXPECT_EQ(notes[1], "measured on a shared node (other jobs may have run beside them): bench/a/int8");
  EXPECT_EQ(notes[2], "on the cluster each time was measured on a node of its own (sbatch --exclusive)");
  const std::vector<CellOutcome> local = {cell("bench/a/fp32", "pc", "Xeon", "alone"),
                                          cell("eval/a/fp32", "pc", "Xeon", "alone")};
  EXPECT_EQ(timing_notes(index_outcomes(local)),
            (std::vector<std::string>{"every time measured on pc (Xeon)",
                                      "on this machine each time was measured with no other cell running"}));
}

TEST(ParetoFront, KeepsThePointsNoOtherBeatsOnBoth) {
  const PlotSeries f =
      pareto_front({"p", {3, 1, 4, 2, 2}, {60, 50, 90, 70, 65}, false, {"c", "a", "d", "b", "e"}}, "f");
  EXPECT_EQ(f.x, (std::vector<double>{1, 2, 4}));
  EXPECT_EQ(f.y, (std::vector<double>{50, 70, 90}));
  EXPECT_EQ(f.labels, (std::vector<std::string>{"a", "b", "d"}));
}

TEST_F(StudyReport, WritesTheHtmlTablesAndJson) {
  const fs::path folder = fs::temp_directory_path() / ("stride-report-" + std::to_string(getpid()));
  fs::create_directories(folder);
  const fs::path index = write_report({preset_, outcomes_, 12.0}, folder);
  const std::string html = read_file(index);
  for (const char* id : {"table3", "table4", "table6", "batch", "calibration", "sensitivity"})
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  EXPECT_EQ(count(html, "<svg "), 4u);
  EXPECT_EQ(count(html, "src="), 0u) << "self-contained: nothing to fetch";
  EXPECT_EQ(count(html, "href="), 0u);
  const Json j = Json::parse(read_file(folder / "results.json"));
  EXPECT_EQ(j["preset"], "quick");
  EXPECT_EQ(j["cells"].size(), outcomes_.size());
  EXPECT_EQ(j["tables"][0]["id"], "table3");
  EXPECT_NE(read_file(folder / "tables.md").find("### Table 3"), std::string::npos);
  fs::remove_all(folder);
}

}  // namespace
}  // namespace stride::study
