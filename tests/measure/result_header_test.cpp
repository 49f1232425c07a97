// The results' header: the fields every JSON result starts with, filled from this process and this
// machine, and a body that cannot overwrite them.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>

#include "stride/core/error.h"
#include "stride/core/version.h"
#include "stride/measure/machine_info.h"
#include "stride/measure/result_header.h"

namespace stride {
namespace {

// The value of the first "key : value" line of /proc/cpuinfo, or "" where it has none.
std::string cpuinfo_value(const std::string& key) {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.rfind(key, 0) == 0 && line.find(':') != std::string::npos &&
        line.substr(0, line.find_first_of("\t:")) == key)
      return line.substr(line.find(':') + 2);
  return "";
}

TEST(ResultHeader, StartsWithWhatProducedTheResultWhereAndWhen) {
  const char* argv[] = {"stride", "bench", "m.onnx", "--json", "r.json"};
  record_invocation(5, argv);
  const nlohmann::ordered_json h = result_header("bench", 3);
  // The header's fields, in this order, before any of the body's.
  std::vector<std::string> keys;
  for (const auto& [key, value] : h.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"kind", "stride", "command", "date", "machine", "libraries", "threads"}));
  EXPECT_EQ(h["kind"], "bench");
  EXPECT_EQ(h["stride"]["version"], version());
  EXPECT_FALSE(h["stride"]["commit"].get<std::string>().empty());
  EXPECT_EQ(h["command"], nlohmann::ordered_json({"stride", "bench", "m.onnx", "--json", "r.json"}));
  EXPECT_TRUE(std::regex_match(h["date"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  EXPECT_EQ(h["threads"], 3);
  EXPECT_TRUE(h["libraries"].contains("onednn") && h["libraries"].contains("xnnpack")) << h["libraries"].dump();
  EXPECT_NE(h["libraries"]["onnx"].get<std::string>().find("ONNX 1."), std::string::npos);

  const auto& m = h["machine"];
  const MachineInfo here = machine_info();
  EXPECT_EQ(m["cpu_model"], here.cpu_model);
  EXPECT_EQ(m["cores"], here.logical_cores);
  EXPECT_EQ(m["hostname"], here.hostname);
  EXPECT_EQ(m["load_before"].size(), 3u);
  EXPECT_EQ(m["load_after"].size(), 3u);
  // x86's identity, as /proc/cpuinfo gives it (an ARM CPU reports its architecture instead).
  if (const std::string family = cpuinfo_value("cpu family"); !family.empty()) {
    EXPECT_EQ(m["cpu_family"], std::stoi(family));
    EXPECT_EQ(m["cpu_model_number"], std::stoi(cpuinfo_value("model")));
    EXPECT_EQ(m["cpu_stepping"], std::stoi(cpuinfo_value("stepping")));
  }
  // A figure /proc/cpuinfo lacks is null with its reason, never left out.
  for (const char* field : {"cpu_family", "cpu_model_number", "cpu_stepping", "mhz"}) {
    if (m[field].is_null()) {
      EXPECT_TRUE(m[std::string(field) + "_reason"].is_string()) << field;
    }
  }
}

TEST(ResultHeader, ZeroThreadsMeansTheUsableCoresAndAStartCanBeGiven) {
  const WorkStart start{"2026-01-02T03:04:05Z", std::nullopt};
  const nlohmann::ordered_json h = result_header("study-cell", 0, start);
  EXPECT_GE(h["threads"].get<int>(), 1);
  EXPECT_EQ(h["date"], "2026-01-02T03:04:05Z");
  EXPECT_TRUE(h["machine"]["load_before"].is_null());
  EXPECT_TRUE(h["machine"]["load_before_reason"].is_string());
}

TEST(ResultHeader, TheBodyFollowsAndCannotOverwriteTheHeader) {
  const nlohmann::ordered_json doc = result_document("eval", 1, {{"mean_rank1", 80.5}, {"batch", 4}});
  EXPECT_EQ(doc.begin().key(), "kind");
  EXPECT_EQ(doc["mean_rank1"], 80.5);
  EXPECT_EQ(doc["batch"], 4);
  EXPECT_THROW(result_document("eval", 1, {{"machine", "mine"}}), Error);
  EXPECT_THROW(result_document("eval", 1, {{"date", "today"}}), Error);
}

}  // namespace
}  // namespace stride
