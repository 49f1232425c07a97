#pragma once
// Linux powercap RAPL (Intel, and AMD since Linux 5.8): the energy counters of each CPU package and
// its DRAM, /sys/class/powercap/intel-rapl:*/energy_uj.
#include <filesystem>

#include "stride/measure/energy_sensor.h"

namespace stride {

// Package and DRAM zones under root (core, uncore and psys are left out: the package already
// includes the first two, psys includes everything). Null with the reason when there are none or
// their counters cannot be read.
SensorProbe probe_rapl(const std::filesystem::path& root = "/sys/class/powercap");

}  // namespace stride
