#include "stride/measure/hwmon_sensor.h"

#include <fmt/format.h>

#include <regex>

#include "stride/measure/sysfs_files.h"

namespace stride {
namespace {

namespace fs = std::filesystem;

class HwmonSensor : public EnergySensor {
 public:
  HwmonSensor(Kind kind, fs::path root, std::vector<EnergyChannel> channels, std::vector<fs::path> files)
      : kind_(kind), root_(std::move(root)), channels_(std::move(channels)), files_(std::move(files)) {}

  Kind kind() const override { return kind_; }
  std::string description() const override {
    return fmt::format("hwmon {} ({}) in {}", kind_ == Kind::counter ? "energy" : "power", channel_list(channels_),
                       root_.string());
  }
  const std::vector<EnergyChannel>& channels() const override { return channels_; }
  std::vector<double> read() override {
    std::vector<double> values;
    // Both units are micro: µJ for energy, µW for power.
    for (const fs::path& f : files_) values.push_back(static_cast<double>(sysfs::read_integer(f)) / 1e6);
    return values;
  }

 private:
  Kind kind_;
  fs::path root_;
  std::vector<EnergyChannel> channels_;
  std::vector<fs::path> files_;
};

struct Found {
  std::vector<EnergyChannel> channels;
  std::vector<fs::path> files;
};

// The channels "<what>N_input" of one device, named by their label file or "<device>/<what>N".
void collect(const fs::path& device, const std::string& what, Found& found) {
  const std::regex input(what + "([0-9]+)_input");
  const std::string device_name = sysfs::read_line(device / "name").value_or(device.filename().string());
  for (const fs::path& f : sysfs::entries(device, what)) {
    std::smatch m;
    const std::string file = f.filename().string();
    if (!std::regex_match(file, m, input)) continue;
    const auto label = sysfs::read_line(device / (what + m[1].str() + "_label"));
    found.channels.push_back({device_name + "/" + (label ? *label : what + m[1].str()), true});
    found.files.push_back(f);
  }
}

}  // namespace

SensorProbe probe_hwmon(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return {nullptr, fmt::format("no {} (no hwmon devices)", root.string())};
  std::vector<fs::path> devices = sysfs::entries(root, "hwmon");
  if (devices.empty() || fs::exists(root / "name")) devices = {root};  // root is one device
  Found energy, power;
  for (const fs::path& d : devices) {
    collect(d, "energy", energy);
    collect(d, "power", power);
  }
  const bool counters = !energy.files.empty();
  Found& use = counters ? energy : power;
  if (use.files.empty()) return {nullptr, fmt::format("no hwmon power*_input or energy*_input in {}", root.string())};
  for (const fs::path& f : use.files)
    if (const std::string why = sysfs::unreadable_reason(f); !why.empty())
      return {nullptr, fmt::format("cannot read {}: {}", f.string(), why)};
  return after_first_reading(
      std::make_unique<HwmonSensor>(counters ? EnergySensor::Kind::counter : EnergySensor::Kind::power, root,
                                    std::move(use.channels), std::move(use.files)));
}

}  // namespace stride
