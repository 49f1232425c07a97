#include "stride/measure/energy_sensor.h"

#include <fmt/format.h>

namespace stride {

SensorProbe after_first_reading(std::unique_ptr<EnergySensor> sensor) {
  try {
    sensor->read();
  } catch (const std::exception& e) {
    return {nullptr, e.what()};
  }
  return {std::move(sensor), ""};
}

std::string channel_list(const std::vector<EnergyChannel>& channels) {
  std::vector<std::string> names;
  for (const auto& c : channels) names.push_back(c.in_total ? c.name : c.name + " (not summed)");
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace stride
