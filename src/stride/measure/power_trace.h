#pragma once
// A power curve known only at sample times, taken as linear between samples: the integral over a
// window is exact for that curve, including the partial intervals at the window's two ends, so that
// energy covers exactly the timed window and not the sampling intervals around it.
#include <optional>
#include <vector>

namespace stride {

struct PowerSample {
  double t = 0;  // seconds, on whatever clock the windows use
  double watts = 0;
};

// Whether a reading can be a power: finite and not negative. A meter or a log that gives anything
// else is broken, and its readings are refused instead of integrated into negative or NaN joules.
bool possible_watts(double watts);

class PowerTrace {
 public:
  // Samples must come in non-decreasing time and be possible_watts(); throws stride::Error otherwise.
  void add(double t, double watts);
  const std::vector<PowerSample>& samples() const { return samples_; }
  bool empty() const { return samples_.empty(); }

  // Whether [t0, t1] lies within the first and last sample, so that it can be integrated.
  bool covers(double t0, double t1) const;
  // Joules over [t0, t1] (trapezoids; the ends interpolated). Throws when not covered.
  double energy(double t0, double t1) const;
  // Highest power in [t0, t1]: the samples inside it and the interpolated values at its ends.
  double peak(double t0, double t1) const;
  // Power at t by linear interpolation; t must be covered.
  double at(double t) const;

  // Forgets samples no longer needed to integrate from t on (keeps the last one at or before t).
  void discard_before(double t);

 private:
  std::vector<PowerSample> samples_;
};

}  // namespace stride
