#pragma once
// Small synthetic test sets for the gait protocols whose right and wrong probes are known by
// construction: every feature is a unit vector e_i of R^3, so a probe is matched to exactly the
// gallery subjects whose vector it equals.
#include <vector>

#include "stride/eval/gait_sample.h"
#include "stride/eval/matrix_view.h"

namespace stride::eval::testing {

struct GaitFixture {
  std::vector<GaitSample> samples;
  std::vector<int> axes;        // the unit vector of each sample
  std::vector<float> features;  // [samples, 3]

  void add(GaitSample sample, int unit_axis) {
    samples.push_back(std::move(sample));
    axes.push_back(unit_axis);
    for (int i = 0; i < 3; ++i) features.push_back(i == unit_axis ? 1.0f : 0.0f);
  }
  MatrixView view() const { return MatrixView(features, static_cast<int64_t>(samples.size()), 3, "fixture features"); }
  // The samples that `keep` accepts, in the same order or reversed.
  template <typename Keep>
  GaitFixture filtered(Keep keep, bool reverse = false) const {
    GaitFixture out;
    for (size_t j = 0; j < samples.size(); ++j) {
      const size_t i = reverse ? samples.size() - 1 - j : j;
      if (keep(samples[i])) out.add(samples[i], axes[i]);
    }
    return out;
  }
  std::vector<int64_t> true_subjects() const {
    std::vector<int64_t> out;
    for (const GaitSample& s : samples) out.push_back(s.subject);
    return out;
  }
};

// CASIA-B: subjects 1, 2, 3 (axis s - 1 for an unchanged subject), views 0, 90, 180.
// Each view v "relabels" subjects by a permutation sigma_v of the axes:
//   sigma_0 = identity, sigma_90 swaps subjects 1 and 2, sigma_180 cycles 1->2->3->1 (axes).
// Gallery NM#1-4 of subject s at view v: axis sigma_v(s).
// NM#5-6 probes: axis sigma_pv(s), so they are right against gallery view gv exactly for the
//   subjects where sigma_pv and sigma_gv agree.
// BG#1-2 probes: axis s, right against gallery view gv where sigma_gv(s) = s.
// CL#1-2: sequence 1 as NM, sequence 2 as BG.
inline int casia_b_axis(int subject, int view) {
  const int s = subject - 1;
  if (view == 90) return s == 2 ? 2 : 1 - s;
  if (view == 180) return (s + 1) % 3;
  return s;
}

inline GaitFixture casia_b_fixture() {
  GaitFixture f;
  for (int subject = 1; subject <= 3; ++subject)
    for (const int view : {0, 90, 180}) {
      const int relabelled = casia_b_axis(subject, view), own = subject - 1;
      for (int seq = 1; seq <= 6; ++seq) f.add({subject, "nm", seq, view}, relabelled);
      for (int seq = 1; seq <= 2; ++seq) f.add({subject, "bg", seq, view}, own);
      f.add({subject, "cl", 1, view}, relabelled);
      f.add({subject, "cl", 2, view}, own);
    }
  return f;
}

// TUM-GAID: subjects 1, 2, 3 at axis s - 1, except that subject 1's b-01 looks like subject 2
// and the s-01 and s-02 of subjects 1 and 2 look like each other.
inline GaitFixture tum_gaid_fixture() {
  GaitFixture f;
  for (int subject = 1; subject <= 3; ++subject) {
    const int own = subject - 1;
    for (int seq = 1; seq <= 6; ++seq) f.add({subject, "n", seq}, own);
    for (int seq = 1; seq <= 2; ++seq) f.add({subject, "b", seq}, subject == 1 && seq == 1 ? 1 : own);
    for (int seq = 1; seq <= 2; ++seq) f.add({subject, "s", seq}, subject == 3 ? own : 1 - own);
  }
  return f;
}

}  // namespace stride::eval::testing
