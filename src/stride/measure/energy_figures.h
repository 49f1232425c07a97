#pragma once
// The paper's energy figures from a meter's result: energy per inference (mJ), EDP = energy × time
// per inference (mJ·ms, as the paper gives it) and peak power (W); per sample as well, for the
// batch-size study. Every figure is absent, with the result's reason, when energy was not measured.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "stride/measure/energy_meter.h"

namespace stride {

struct EnergyFigures {
  EnergyResult result;
  std::optional<double> mj_per_inference;  // one run of a batch
  std::optional<double> mj_per_sample;
  std::optional<double> edp_mj_ms;  // per inference: mJ × ms
  std::optional<double> edp_per_sample_mj_ms;
  std::optional<double> peak_watts;
};

// mean_ms: the mean time of one timed run (the windows the energy was measured over).
EnergyFigures energy_figures(EnergyResult result, int64_t batch, double mean_ms);
// The same figures per item of a set measured in one go (the recordings of a test set, however
// they were batched), each item taking ms_per_item.
EnergyFigures energy_figures_per_item(EnergyResult result, size_t items, double ms_per_item);

// "12.345" with the given decimals, or "n/a".
std::string figure_cell(const std::optional<double>& value, int decimals);

// object[name] = the figures as JSON; when energy was not measured, null with the reason beside it
// (measure/unmeasured.h).
void put_energy(nlohmann::json& object, const std::string& name, const EnergyFigures& figures);

}  // namespace stride
