#pragma once
// Choosing the energy meter from the command line's --energy:
//   auto           the first of rapl and jetson that this machine has (nvml and hwmon measure one
//                  device, not the CPU the model runs on: they are used only when asked for)
//   rapl[:ROOT]    powercap RAPL (ROOT defaults to /sys/class/powercap)
//   hwmon[:ROOT]   hwmon power/energy (ROOT defaults to /sys/class/hwmon)
//   jetson[:ROOT]  Jetson INA3221 rails (ROOT defaults to /sys/class/hwmon)
//   nvml           NVIDIA GPUs through libnvidia-ml.so.1
//   file:PATH      an external power log (CSV of epoch seconds, watts)
//   none           no energy
// The roots let tests point a meter at a fake tree.
#include <memory>
#include <string>

#include "stride/measure/energy_meter.h"

namespace stride {

// A meter, or one that is unavailable with the reason. Throws stride::Error on a spec it does not know.
std::unique_ptr<EnergyMeter> make_energy_meter(const std::string& spec);

}  // namespace stride
