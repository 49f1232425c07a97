#include "stride/measure/energy_figures.h"

#include <fmt/format.h>

#include "stride/measure/unmeasured.h"

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

void put_energy(nlohmann::json& object, const std::string& name, const EnergyFigures& f) {
  const EnergyResult& r = f.result;
  if (!r.measured()) {
    put_unmeasured(object, name, r.reason);
    return;
  }
  nlohmann::json j = {{"meter", r.meter}};
  const std::string no_window = "no timed run fell inside the measured windows";
  put_figure(j, "mj_per_inference", f.mj_per_inference, no_window);
  put_figure(j, "mj_per_sample", f.mj_per_sample, no_window);
  put_figure(j, "edp_mj_ms", f.edp_mj_ms, no_window);
  put_figure(j, "edp_per_sample_mj_ms", f.edp_per_sample_mj_ms, no_window);
  put_figure(j, "peak_watts", f.peak_watts, "no power sample fell inside the timed windows");
  j["windows"] = r.windows;
  j["window_ms"] = 1000 * r.seconds;
  j["joules"] = r.joules;
  j["gross_joules"] = r.gross_joules;
  if (r.idle_watts) j["idle_watts"] = *r.idle_watts;
  for (const auto& [channel, joules] : r.channel_joules) j["channels"][channel] = joules;
  object[name] = std::move(j);
}

}  // namespace stride
