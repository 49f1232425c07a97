#include "stride/gallery/open_set_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "stride/core/error.h"

namespace stride::gallery {
namespace {

constexpr double kNoCandidate = -std::numeric_limits<double>::infinity();

double top_score(const Search& s) { return s.candidates.empty() ? kNoCandidate : s.candidates.front().score; }

double share(size_t count, size_t of) { return of == 0 ? 0 : static_cast<double>(count) / static_cast<double>(of); }

}  // namespace

double fpir(std::span<const Search> non_mated, double threshold) {
  const auto hits = std::count_if(non_mated.begin(), non_mated.end(),
                                  [&](const Search& s) { return !s.candidates.empty() && top_score(s) >= threshold; });
  return share(static_cast<size_t>(hits), non_mated.size());
}

double fnir(std::span<const Search> mated, double threshold) {
  const auto misses = std::count_if(mated.begin(), mated.end(), [&](const Search& s) {
    return s.candidates.empty() || s.candidates.front().label != s.mate || s.candidates.front().score < threshold;
  });
  return share(static_cast<size_t>(misses), mated.size());
}

double closed_set_rank1(std::span<const Search> mated) { return 1 - fnir(mated, kNoCandidate); }

double threshold_for_fpir(std::span<const Search> non_mated, double target) {
  if (non_mated.empty()) fail("a threshold for FPIR {} needs non-mated searches; there are none", target);
  if (!(target > 0 && target < 1)) fail("a target FPIR must lie between 0 and 1, got {}", target);
  std::vector<double> top;
  for (const Search& s : non_mated) top.push_back(top_score(s));
  std::sort(top.begin(), top.end(), std::greater<>());
  // At most ⌊target·n⌋ searches may score at or above T (the small epsilon keeps 0.1 · 30 at 3).
  const auto allowed = static_cast<size_t>(std::floor(target * static_cast<double>(top.size()) + 1e-9));
  return std::nextafter(top[allowed], std::numeric_limits<double>::infinity());
}

DirAtFpir dir_at_fpir(std::span<const Search> mated, std::span<const Search> calibration,
                      std::span<const Search> non_mated, double target) {
  DirAtFpir d;
  d.target_fpir = target;
  d.measurable = static_cast<double>(calibration.size()) * target >= 1 - 1e-9;
  if (!d.measurable) return d;
  d.threshold = threshold_for_fpir(calibration, target);
  d.dir = 1 - fnir(mated, d.threshold);
  d.fpir = fpir(non_mated, d.threshold);
  return d;
}

}  // namespace stride::gallery
