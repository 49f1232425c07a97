#include "stride/measure/rapl_sensor.h"

#include <fmt/format.h>

#include "stride/measure/sysfs_files.h"

namespace stride {
namespace {

namespace fs = std::filesystem;

struct Zone {
  fs::path energy_file;
  double range_uj = 0;  // the counter restarts from 0 after this value
  int64_t last_uj = -1;
  double wrapped_uj = 0;  // whole ranges passed so far
};

class RaplSensor : public EnergySensor {
 public:
  RaplSensor(fs::path root, std::vector<EnergyChannel> channels, std::vector<Zone> zones)
      : root_(std::move(root)), channels_(std::move(channels)), zones_(std::move(zones)) {}

  Kind kind() const override { return Kind::counter; }
  std::string description() const override {
    return fmt::format("rapl ({}) in {}", channel_list(channels_), root_.string());
  }
  const std::vector<EnergyChannel>& channels() const override { return channels_; }
  double counter_resolution_s() const override { return 0.01; }  // updates about every ms: 10 ms keeps steps < 10 %

  std::vector<double> read() override {
    std::vector<double> joules;
    for (Zone& z : zones_) {
      const int64_t uj = sysfs::read_integer(z.energy_file);
      // A smaller value than last time means the counter wrapped; reads are frequent enough
      // (the range lasts minutes even at hundreds of watts) that it wrapped once.
      if (z.last_uj >= 0 && uj < z.last_uj) z.wrapped_uj += z.range_uj;
      z.last_uj = uj;
      joules.push_back((z.wrapped_uj + static_cast<double>(uj)) / 1e6);
    }
    return joules;
  }

 private:
  fs::path root_;
  std::vector<EnergyChannel> channels_;
  std::vector<Zone> zones_;
};

// "intel-rapl:1:0" → "1": the package a DRAM zone belongs to.
std::string package_index(const fs::path& zone) {
  const std::string id = zone.filename().string().substr(std::string("intel-rapl:").size());
  return id.substr(0, id.find(':'));
}

}  // namespace

SensorProbe probe_rapl(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    return {nullptr, fmt::format("no {} (no powercap RAPL on this machine)", root.string())};
  std::vector<EnergyChannel> channels;
  std::vector<Zone> zones;
  for (const fs::path& zone : sysfs::entries(root, "intel-rapl:")) {
    const auto name = sysfs::read_line(zone / "name");
    if (!name) continue;
    const bool package = name->rfind("package", 0) == 0;
    if (!package && *name != "dram") continue;
    const fs::path energy = zone / "energy_uj";
    if (const std::string why = sysfs::unreadable_reason(energy); !why.empty())
      return {nullptr,
              fmt::format("cannot read {}: {}{}", energy.string(), why,
                          why == std::string("Permission denied") ? " (RAPL counters are readable by root only)" : "")};
    Zone z;
    z.energy_file = energy;
    try {
      z.range_uj = static_cast<double>(sysfs::read_integer(zone / "max_energy_range_uj"));
    } catch (const std::exception& e) {
      return {nullptr, e.what()};
    }
    zones.push_back(z);
    channels.push_back({package ? *name : "dram-" + package_index(zone), true});
  }
  if (zones.empty()) return {nullptr, fmt::format("no RAPL package or DRAM zone in {}", root.string())};
  return after_first_reading(std::make_unique<RaplSensor>(root, std::move(channels), std::move(zones)));
}

}  // namespace stride
