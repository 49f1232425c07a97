#include "stride/measure/energy_spec.h"

#include <fmt/format.h>

#include "stride/core/error.h"
#include "stride/core/usage_error.h"
#include "stride/measure/hwmon_sensor.h"
#include "stride/measure/jetson_sensor.h"
#include "stride/measure/nvml_sensor.h"
#include "stride/measure/rapl_sensor.h"

namespace stride {
namespace {

// A meter the user named: one that cannot be read is a failure, now or when its result is asked for.
std::unique_ptr<EnergyMeter> required(std::unique_ptr<EnergyMeter> meter) {
  meter->require();
  return meter;
}

std::unique_ptr<EnergyMeter> from_probe(SensorProbe probe, const std::string& kind) {
  if (!probe.sensor) fail("--energy {}: {} (--energy auto measures what it finds, or nothing)", kind, probe.reason);
  return required(std::make_unique<EnergyMeter>(std::move(probe.sensor)));
}

}  // namespace

std::unique_ptr<EnergyMeter> make_energy_meter(const std::string& spec) {
  const auto colon = spec.find(':');
  const std::string kind = spec.substr(0, colon);
  const std::string root = colon == std::string::npos ? "" : spec.substr(colon + 1);
  if (colon != std::string::npos && root.empty()) usage_fail("--energy {}: expected a path after ':'", spec);
  if (kind == "none") {
    if (!root.empty()) usage_fail("--energy {}: 'none' takes no path", spec);
    return std::make_unique<EnergyMeter>("not measured (--energy none)");
  }
  if (kind == "rapl") return from_probe(root.empty() ? probe_rapl() : probe_rapl(root), kind);
  if (kind == "hwmon") return from_probe(root.empty() ? probe_hwmon() : probe_hwmon(root), kind);
  if (kind == "jetson") return from_probe(root.empty() ? probe_jetson() : probe_jetson(root), kind);
  if (kind == "nvml") {
    if (!root.empty()) usage_fail("--energy {}: 'nvml' takes no path", spec);
    return from_probe(probe_nvml(), kind);
  }
  if (kind == "file") {
    if (root.empty()) usage_fail("--energy file: expected file:PATH of a power log (CSV of epoch seconds, watts)");
    return required(std::make_unique<EnergyMeter>(std::filesystem::path(root), EnergyMeter::wall_clock()));
  }
  if (kind == "auto") {
    if (!root.empty()) usage_fail("--energy {}: 'auto' takes no path", spec);
    SensorProbe rapl = probe_rapl();
    if (rapl.sensor) return std::make_unique<EnergyMeter>(std::move(rapl.sensor));
    SensorProbe jetson = probe_jetson();
    if (jetson.sensor) return std::make_unique<EnergyMeter>(std::move(jetson.sensor));
    return std::make_unique<EnergyMeter>(
        fmt::format("no energy meter found (rapl: {}; jetson: {})", rapl.reason, jetson.reason));
  }
  usage_fail("--energy {}: expected auto, rapl[:ROOT], hwmon[:ROOT], jetson[:ROOT], nvml, file:PATH or none", spec);
}

}  // namespace stride
