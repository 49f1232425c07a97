#include "stride/measure/jetson_sensor.h"

#include <fmt/format.h>

#include <map>
#include <sstream>

#include "stride/measure/sysfs_files.h"

namespace stride {
namespace {

namespace fs = std::filesystem;

struct Rail {
  fs::path millivolts, milliamps;
};

class JetsonSensor : public EnergySensor {
 public:
  JetsonSensor(fs::path root, std::vector<EnergyChannel> channels, std::vector<Rail> rails)
      : root_(std::move(root)), channels_(std::move(channels)), rails_(std::move(rails)) {}

  Kind kind() const override { return Kind::power; }
  std::string description() const override {
    return fmt::format("jetson ina3221 ({}) in {}", channel_list(channels_), root_.string());
  }
  const std::vector<EnergyChannel>& channels() const override { return channels_; }
  std::vector<double> read() override {
    std::vector<double> watts;
    for (const Rail& r : rails_)
      watts.push_back(static_cast<double>(sysfs::read_integer(r.millivolts)) *
                      static_cast<double>(sysfs::read_integer(r.milliamps)) / 1e6);
    return watts;
  }

 private:
  fs::path root_;
  std::vector<EnergyChannel> channels_;
  std::vector<Rail> rails_;
};

// Whether a rail feeds one of the modules the paper summed (a combined rail counts as well).
bool is_module(const std::string& name) {
  std::istringstream parts(name);
  for (std::string part; std::getline(parts, part, '+');)
    if (part == "GPU" || part == "CPU" || part == "SOC" || part == "CV" || part == "DDR") return true;
  return false;
}

}  // namespace

std::string jetson_rail_name(const std::string& label) {
  static const std::map<std::string, std::string> modules = {{"GPU", "GPU"},   {"CPU", "CPU"}, {"SOC", "SOC"},
                                                             {"CV", "CV"},     {"DLA", "CV"},  {"DDR", "DDR"},
                                                             {"VDDRQ", "DDR"}, {"IN", "input"}};
  std::vector<std::string> names;
  std::istringstream parts(label);
  for (std::string part; std::getline(parts, part, '_');)
    if (auto it = modules.find(part); it != modules.end()) names.push_back(it->second);
  return names.empty() ? label : fmt::format("{}", fmt::join(names, "+"));
}

SensorProbe probe_jetson(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return {nullptr, fmt::format("no {} (not a Jetson)", root.string())};
  std::vector<fs::path> devices = sysfs::entries(root, "hwmon");
  if (fs::exists(root / "name")) devices = {root};
  std::vector<EnergyChannel> channels;
  std::vector<Rail> rails;
  for (const fs::path& d : devices) {
    if (sysfs::read_line(d / "name").value_or("") != "ina3221") continue;
    // Channels 1-3 are the monitored rails (4-6 are their shunt voltages); a rail without a label
    // is not connected on this board.
    for (int i = 1; i <= 3; ++i) {
      const auto label = sysfs::read_line(d / fmt::format("in{}_label", i));
      const fs::path mv = d / fmt::format("in{}_input", i), ma = d / fmt::format("curr{}_input", i);
      if (!label || !fs::exists(mv) || !fs::exists(ma)) continue;
      for (const fs::path& f : {mv, ma})
        if (const std::string why = sysfs::unreadable_reason(f); !why.empty())
          return {nullptr, fmt::format("cannot read {}: {}", f.string(), why)};
      channels.push_back({jetson_rail_name(*label), true});
      rails.push_back({mv, ma});
    }
  }
  if (rails.empty())
    return {nullptr, fmt::format("no ina3221 rails (hwmon in*_label, in*_input, curr*_input) in {}", root.string())};
  // The board's input rail already includes every other; without it, the module rails (GPU, CPU,
  // SOC, CV, DDR, as the paper summed them) are the total, and others (SYS5V) are shown apart.
  bool has_input = false, has_module = false;
  for (const auto& c : channels) {
    has_input |= c.name == "input";
    has_module |= is_module(c.name);
  }
  for (auto& c : channels) c.in_total = has_input ? c.name == "input" : (!has_module || is_module(c.name));
  return after_first_reading(std::make_unique<JetsonSensor>(root, std::move(channels), std::move(rails)));
}

}  // namespace stride
