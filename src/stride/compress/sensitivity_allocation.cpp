#include "stride/compress/sensitivity_allocation.h"

#include <algorithm>
#include <cmath>

#include "stride/core/usage_error.h"

namespace stride::compress {
namespace {

// A glob matching `name` exactly: fnmatch's special characters escaped.
std::string exact_glob(const std::string& name) {
  std::string glob;
  for (char c : name) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') glob += '\\';
    glob += c;
  }
  return glob;
}

// A curve's drops from the unpruned accuracy, starting at ratio 0, made non-decreasing: a group does
// not get safer to prune by pruning more of it (a measured rise is noise).
struct DropCurve {
  std::vector<double> ratios{0.0}, drops{0.0};
};

DropCurve drop_curve(const SensitivityCurve& c, double baseline) {
  std::vector<size_t> order(c.ratios.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return c.ratios[a] < c.ratios[b]; });
  DropCurve d;
  for (size_t i : order) {
    if (c.ratios[i] <= 0) continue;
    d.ratios.push_back(c.ratios[i]);
    d.drops.push_back(std::max(d.drops.back(), baseline - c.accuracy[i]));
  }
  return d;
}

// The largest ratio whose drop is within `bound`, linear between the measured points.
double ratio_within(const DropCurve& d, double bound) {
  double ratio = 0;
  for (size_t i = 1; i < d.ratios.size(); ++i) {
    if (d.drops[i] <= bound) {
      ratio = d.ratios[i];
      continue;
    }
    const double rise = d.drops[i] - d.drops[i - 1];
    if (rise > 0 && bound > d.drops[i - 1])
      ratio = d.ratios[i - 1] + (d.ratios[i] - d.ratios[i - 1]) * (bound - d.drops[i - 1]) / rise;
    break;
  }
  return ratio;
}

double drop_at(const DropCurve& d, double ratio) {
  for (size_t i = 1; i < d.ratios.size(); ++i)
    if (ratio <= d.ratios[i])
      return d.drops[i - 1] + (d.drops[i] - d.drops[i - 1]) * (ratio - d.ratios[i - 1]) / (d.ratios[i] - d.ratios[i - 1]);
  return d.drops.back();
}

}  // namespace

SensitivityTable sensitivity_table(const nlohmann::json& document, const std::string& source) {
  auto bad = [&](const std::string& why) -> void { usage_fail("--by-sensitivity {}: {}", source, why); };
  if (!document.is_object() || document.value("kind", "") != "sensitivity")
    bad("not what stride sensitivity --json writes (its kind is not \"sensitivity\")");
  SensitivityTable t;
  try {
    t.sensitivity.baseline = document.at("baseline_rank1").get<double>();
    t.split = document.value("split", "");
    for (const nlohmann::json& c : document.at("curves")) {
      SensitivityCurve curve;
      curve.layers = c.at("layers").get<std::string>();
      curve.channels = c.at("channels").get<int64_t>();
      curve.ratios = c.at("ratios").get<std::vector<double>>();
      curve.accuracy = c.at("rank1").get<std::vector<double>>();
      if (curve.ratios.size() != curve.accuracy.size() || curve.ratios.empty())
        bad(fmt::format("the curve of '{}' has {} ratios and {} accuracies", curve.layers, curve.ratios.size(),
                        curve.accuracy.size()));
      for (double r : curve.ratios)
        if (!(r >= 0 && r < 1)) bad(fmt::format("the curve of '{}' has the ratio {}, outside [0, 1)", curve.layers, r));
      if (curve.channels < 1) bad(fmt::format("the group '{}' has {} channels", curve.layers, curve.channels));
      t.sensitivity.curves.push_back(std::move(curve));
    }
  } catch (const nlohmann::json::exception& e) {
    bad(fmt::format("a field is missing or of the wrong type ({})", e.what()));
  }
  if (t.sensitivity.curves.empty()) bad("no curves");
  return t;
}

SensitivityAllocation allocate_by_sensitivity(const Sensitivity& sensitivity, double ratio) {
  std::vector<DropCurve> curves;
  double filters = 0, most = 0, worst = 0;
  for (const SensitivityCurve& c : sensitivity.curves) {
    curves.push_back(drop_curve(c, sensitivity.baseline));
    filters += static_cast<double>(c.channels);
    most += static_cast<double>(c.channels) * curves.back().ratios.back();
    worst = std::max(worst, curves.back().drops.back());
  }
  if (most < ratio * filters)
    usage_fail("--by-sensitivity: the table's largest ratios remove {:.1f} % of its {} filters, less than --ratio "
               "{}; measure larger ratios (stride sensitivity --ratios)",
               100 * most / filters, static_cast<int64_t>(filters), ratio);
  auto removed = [&](double bound) {
    double r = 0;
    for (size_t i = 0; i < curves.size(); ++i)
      r += static_cast<double>(sensitivity.curves[i].channels) * ratio_within(curves[i], bound);
    return r;
  };
  // The removed filters grow with the bound: bisect for the least bound that reaches the ratio.
  double lo = 0, hi = worst;
  for (int i = 0; i < 100 && hi - lo > 1e-9; ++i) {
    const double mid = (lo + hi) / 2;
    (removed(mid) >= ratio * filters ? hi : lo) = mid;
  }
  SensitivityAllocation a;
  a.drop_bound = hi;
  for (size_t i = 0; i < curves.size(); ++i) {
    const SensitivityCurve& c = sensitivity.curves[i];
    GroupRatio g;
    g.layers = c.layers;
    g.pattern = exact_glob(c.layers.substr(0, c.layers.find(" + ")));
    g.channels = c.channels;
    g.ratio = ratio_within(curves[i], hi);
    g.drop = drop_at(curves[i], g.ratio);
    a.groups.push_back(g);
  }
  return a;
}

}  // namespace stride::compress
