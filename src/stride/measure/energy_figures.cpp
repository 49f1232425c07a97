#include "stride/measure/energy_figures.h"

#include <fmt/format.h>

namespace stride {

namespace {

EnergyFigures figures(EnergyResult result, double inferences, double samples_per_inference, double ms_per_inference) {
  EnergyFigures f;
  f.result = std::move(result);
  if (!f.result.measured() || inferences <= 0) return f;
  f.mj_per_inference = 1000 * f.result.joules / inferences;
  f.mj_per_sample = *f.mj_per_inference / samples_per_inference;
  f.edp_mj_ms = *f.mj_per_inference * ms_per_inference;
  f.edp_per_sample_mj_ms = *f.mj_per_sample * (ms_per_inference / samples_per_inference);
  f.peak_watts = f.result.peak_watts;
  return f;
}

}  // namespace

EnergyFigures energy_figures(EnergyResult result, int64_t batch, double mean_ms) {
  const double windows = result.windows;
  return figures(std::move(result), windows, static_cast<double>(batch), mean_ms);
}

EnergyFigures energy_figures_per_item(EnergyResult result, size_t items, double ms_per_item) {
  return figures(std::move(result), static_cast<double>(items), 1, ms_per_item);
}

std::string figure_cell(const std::optional<double>& value, int decimals) {
  return value ? fmt::format("{:.{}f}", *value, decimals) : "n/a";
}

nlohmann::json to_json(const EnergyFigures& f) {
  const EnergyResult& r = f.result;
  nlohmann::json j = {{"meter", r.meter}};
  auto number = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json("n/a"); };
  j["mj_per_inference"] = number(f.mj_per_inference);
  j["mj_per_sample"] = number(f.mj_per_sample);
  j["edp_mj_ms"] = number(f.edp_mj_ms);
  j["edp_per_sample_mj_ms"] = number(f.edp_per_sample_mj_ms);
  j["peak_watts"] = number(f.peak_watts);
  if (!r.measured()) {
    j["reason"] = r.reason;
    return j;
  }
  j["windows"] = r.windows;
  j["window_seconds"] = r.seconds;
  j["joules"] = r.joules;
  j["gross_joules"] = r.gross_joules;
  if (r.idle_watts) j["idle_watts"] = *r.idle_watts;
  for (const auto& [name, joules] : r.channel_joules) j["channels"][name] = joules;
  return j;
}

}  // namespace stride
