#pragma once
// NVIDIA GPUs through NVML, loaded at run time (dlopen "libnvidia-ml.so.1") so that Stride neither
// needs the driver to build nor to start: the total-energy counter (Volta and later) where every
// GPU has it, otherwise power samples.
#include <string>

#include "stride/measure/energy_sensor.h"

namespace stride {

// Every GPU NVML sees, summed. Null with the reason when the library or a GPU is missing.
// library: the file to dlopen (tests pass one that does not exist).
SensorProbe probe_nvml(const std::string& library = "libnvidia-ml.so.1");

}  // namespace stride
