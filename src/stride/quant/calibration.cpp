#include "stride/quant/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "stride/core/error.h"
#include "stride/core/usage_error.h"

namespace stride::quant {

Method parse_method(const std::string& name) {
  if (name == "minmax") return Method::minmax;
  if (name == "percentile") return Method::percentile;
  if (name == "entropy") return Method::entropy;
  if (name == "mse") return Method::mse;
  usage_fail("unknown calibration method '{}' (expected minmax, percentile, entropy, mse or auto)", name);
}

std::string method_name(Method method) {
  switch (method) {
    case Method::minmax:
      return "minmax";
    case Method::percentile:
      return "percentile";
    case Method::entropy:
      return "entropy";
    case Method::mse:
      return "mse";
  }
  return "";
}

double percentile_threshold(const AbsHistogram& histogram, double percentile) {
  if (!(percentile > 0 && percentile <= 100)) fail("the percentile must be in (0, 100], got {}", percentile);
  const double total = histogram.total();
  if (total <= 0) return 0;
  // The upper edge of the first bin at which the cumulative share reaches the percentile.
  const double wanted = total * percentile / 100.0;
  double cumulative = 0;
  const std::vector<double>& counts = histogram.counts();
  for (size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    if (cumulative >= wanted * (1 - 1e-12)) return static_cast<double>(i + 1) * histogram.bin_width();
  }
  return histogram.range();
}

namespace {

// Replaces zeros by a small epsilon taken from the non-zero entries, so that KL stays finite where
// one distribution has mass and the other none (as TensorRT's and MXNet's searches do).
std::vector<double> smoothed(std::vector<double> p) {
  constexpr double eps = 1e-4;
  size_t zeros = 0;
  for (double v : p) zeros += v == 0;
  const size_t nonzeros = p.size() - zeros;
  if (zeros == 0 || nonzeros == 0) return p;
  const double taken = eps * static_cast<double>(zeros) / static_cast<double>(nonzeros);
  for (double& v : p) v = v == 0 ? eps : std::max(v - taken, eps * 1e-3);
  return p;
}

double kl_divergence(const std::vector<double>& p_counts, const std::vector<double>& q_counts) {
  double p_sum = 0, q_sum = 0;
  for (double v : p_counts) p_sum += v;
  for (double v : q_counts) q_sum += v;
  const std::vector<double> p = smoothed(p_counts), q = smoothed(q_counts);
  double kl = 0;
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i] > 0) kl += p[i] / p_sum * std::log((p[i] / p_sum) / (q[i] / q_sum));
  return kl;
}

// The first `kept` bins squeezed into `levels` levels and spread back: each level's mass is shared
// equally by the bins of its group that were not empty (empty bins stay empty).
std::vector<double> quantized_version(const std::vector<double>& bins, size_t levels) {
  std::vector<double> q(bins.size(), 0.0);
  for (size_t j = 0; j < levels; ++j) {
    const size_t start = j * bins.size() / levels, stop = (j + 1) * bins.size() / levels;
    double mass = 0;
    size_t nonempty = 0;
    for (size_t k = start; k < stop; ++k) {
      mass += bins[k];
      nonempty += bins[k] != 0;
    }
    if (nonempty == 0) continue;
    for (size_t k = start; k < stop; ++k)
      if (bins[k] != 0) q[k] = mass / static_cast<double>(nonempty);
  }
  return q;
}

}  // namespace

// TensorRT's entropy calibration: for each candidate number of kept bins i (from `levels` up to
// all), P is the histogram clipped at bin i with the clipped mass added to its last bin, Q the
// unclipped first i bins squeezed into `levels` levels; the threshold minimises KL(P || Q), so it
// weighs the error of clipping outliers against the resolution lost by a wider range. As NVIDIA's
// pytorch-quantization does, the zero bin counts as much as its neighbour: a tensor that is mostly
// exact zeros (ReLU outputs, a silhouette's background) would otherwise make every threshold look
// alike but the smallest, which keeps the zeros' bin exact and clips everything else.
double entropy_threshold(const AbsHistogram& histogram, size_t levels) {
  std::vector<double> counts = histogram.counts();
  if (counts.size() > 1) counts[0] = counts[1];
  if (levels == 0) fail("the entropy search needs at least one quantized level");
  if (histogram.total() <= 0) return 0;
  if (counts.size() <= levels) return histogram.range();
  std::vector<double> above_from(counts.size() + 1, 0.0);  // mass from bin i on
  for (size_t i = counts.size(); i-- > 0;) above_from[i] = above_from[i + 1] + counts[i];
  size_t best = counts.size();
  double best_kl = std::numeric_limits<double>::infinity();
  for (size_t i = levels; i <= counts.size(); ++i) {
    std::vector<double> kept(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(i));
    std::vector<double> p = kept;
    p.back() += above_from[i];
    const double kl = kl_divergence(p, quantized_version(kept, levels));
    if (kl < best_kl) {
      best_kl = kl;
      best = i;
    }
  }
  return static_cast<double>(best) * histogram.bin_width();
}

double mse_threshold(const AbsHistogram& histogram, size_t steps) {
  if (steps == 0) fail("the MSE search needs at least one quantization step");
  const std::vector<double>& counts = histogram.counts();
  if (histogram.total() <= 0) return 0;
  const double w = histogram.bin_width();
  // Suffix sums of n, n·c and n·c² (c: a bin's centre) give the clipping error from bin i on in O(1).
  const size_t bins = counts.size();
  std::vector<double> n(bins + 1, 0.0), nc(bins + 1, 0.0), ncc(bins + 1, 0.0);
  for (size_t i = bins; i-- > 0;) {
    const double c = (static_cast<double>(i) + 0.5) * w;
    n[i] = n[i + 1] + counts[i];
    nc[i] = nc[i + 1] + counts[i] * c;
    ncc[i] = ncc[i + 1] + counts[i] * c * c;
  }
  size_t best = bins;
  double best_error = std::numeric_limits<double>::infinity();
  for (size_t i = 1; i <= bins; ++i) {
    const double t = static_cast<double>(i) * w, step = t / static_cast<double>(steps);
    const double rounding = (n[0] - n[i]) * step * step / 12.0;
    const double clipping = ncc[i] - 2 * t * nc[i] + t * t * n[i];
    if (rounding + clipping < best_error) {
      best_error = rounding + clipping;
      best = i;
    }
  }
  return static_cast<double>(best) * w;
}

Range calibrate(const TensorStatistics& s, Method method, const CalibrationOptions& options) {
  if (s.count == 0) return {};
  if (method == Method::minmax) return {s.min, s.max};
  const double largest = std::max(std::fabs(s.min), std::fabs(s.max));
  const bool unsigned_range = s.min >= 0;
  double t = 0;
  if (method == Method::percentile)
    t = percentile_threshold(s.histogram, options.percentile);
  else if (method == Method::entropy)  // u8 [0, t] has twice the levels of one side of s8
    t = entropy_threshold(s.histogram, unsigned_range ? 2 * options.quantized_levels : options.quantized_levels);
  else
    t = mse_threshold(s.histogram, unsigned_range ? 255 : 127);
  t = std::min(largest, t);
  return unsigned_range ? Range{0, t} : Range{-t, t};
}

}  // namespace stride::quant
