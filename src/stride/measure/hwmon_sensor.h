#pragma once
// Linux hwmon power and energy channels: energy*_input (µJ counters) where a device has them,
// otherwise power*_input (µW), e.g. /sys/class/hwmon/hwmon3/power1_input.
#include <filesystem>

#include "stride/measure/energy_sensor.h"

namespace stride {

// root is either a folder of hwmon devices (hwmon0, hwmon1, …) or one device. When any channel
// counts energy, only energy channels are used (one kind per sensor; counters are exact over a
// window); otherwise every power channel. Every channel found is summed: point root at one device
// when a device's channels overlap (a socket and its cores).
SensorProbe probe_hwmon(const std::filesystem::path& root = "/sys/class/hwmon");

}  // namespace stride
