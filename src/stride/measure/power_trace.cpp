#include "stride/measure/power_trace.h"

#include <algorithm>
#include <cmath>

#include "stride/core/error.h"

namespace stride {
namespace {

// First sample with time > t.
std::vector<PowerSample>::const_iterator after(const std::vector<PowerSample>& s, double t) {
  return std::upper_bound(s.begin(), s.end(), t, [](double v, const PowerSample& p) { return v < p.t; });
}

}  // namespace

bool possible_watts(double watts) { return std::isfinite(watts) && watts >= 0; }

void PowerTrace::add(double t, double watts) {
  if (!possible_watts(watts))
    fail("power sample at {:.6f} s reads {} W: expected a finite power of 0 W or more", t, watts);
  if (!samples_.empty() && t < samples_.back().t)
    fail("power sample at {:.6f} s comes before the previous one at {:.6f} s", t, samples_.back().t);
  samples_.push_back({t, watts});
}

bool PowerTrace::covers(double t0, double t1) const {
  return !samples_.empty() && t0 <= t1 && samples_.front().t <= t0 && t1 <= samples_.back().t;
}

double PowerTrace::at(double t) const {
  if (!covers(t, t)) fail("no power sample around {:.6f} s", t);
  auto hi = after(samples_, t);
  if (hi == samples_.end()) return samples_.back().watts;  // t is the last sample's time
  const PowerSample& b = *hi;
  const PowerSample& a = *(hi - 1);
  return a.watts + (b.watts - a.watts) * (t - a.t) / (b.t - a.t);
}

double PowerTrace::energy(double t0, double t1) const {
  if (!covers(t0, t1))
    fail("the power samples ({:.6f} to {:.6f} s) do not cover the window {:.6f} to {:.6f} s",
         samples_.empty() ? 0.0 : samples_.front().t, samples_.empty() ? 0.0 : samples_.back().t, t0, t1);
  double joules = 0;
  double u = t0, pu = at(t0);
  // Whole and partial intervals between t0, the samples strictly inside, and t1.
  for (auto it = after(samples_, t0); it != samples_.end() && it->t < t1; ++it) {
    joules += (it->t - u) * (pu + it->watts) / 2;
    u = it->t;
    pu = it->watts;
  }
  joules += (t1 - u) * (pu + at(t1)) / 2;
  return joules;
}

double PowerTrace::peak(double t0, double t1) const {
  double best = std::max(at(t0), at(t1));
  for (auto it = after(samples_, t0); it != samples_.end() && it->t < t1; ++it) best = std::max(best, it->watts);
  return best;
}

void PowerTrace::discard_before(double t) {
  auto hi = after(samples_, t);
  if (hi == samples_.begin()) return;
  samples_.erase(samples_.begin(), hi - 1);
}

}  // namespace stride
