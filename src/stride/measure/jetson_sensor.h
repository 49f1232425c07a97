#pragma once
// Jetson power rails through the INA3221 monitors (the sensor the paper read at 500 Hz): per rail a
// bus voltage in*_input (mV), a current curr*_input (mA) and a label in*_label, as the Linux
// ina3221 hwmon driver shows them (JetPack 5 and later). Power = voltage × current: the paper read
// the currents only, which is right only while every rail stays at its nominal voltage.
#include <filesystem>
#include <string>

#include "stride/measure/energy_sensor.h"

namespace stride {

// Rails of every hwmon device named "ina3221" under root (or of root itself when it is one).
SensorProbe probe_jetson(const std::filesystem::path& root = "/sys/class/hwmon");

// The rail's name from its label, by the modules it feeds: "GPU", "VDD_CPU_GPU_CV" → "CPU+GPU+CV",
// "VDDRQ" → "DDR", "VDD_IN" or "POM_5V_IN" → "input" (the whole board); other labels as they are.
std::string jetson_rail_name(const std::string& label);

}  // namespace stride
