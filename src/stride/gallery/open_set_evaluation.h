#pragma once
// `stride eval --open-set`: open-set identification on a dataset's test subjects, with the
// threshold set on subjects the gallery has never seen. The subjects (ascending ids) are cut in
// three: the first half is enrolled (its protocol gallery recordings, one template each), the next
// quarter calibrates the threshold, the last quarter measures FPIR at it; at least one subject in
// each part. Searches are the probe recordings (outside the protocol's gallery sequences) of every
// subject: the enrolled half's are mated, the others' non-mated. Views are mixed: a probe is
// searched against every enrolled recording, whatever its view.
#include <span>
#include <vector>

#include "stride/eval/gait_protocol.h"
#include "stride/eval/gait_sample.h"
#include "stride/eval/matrix_view.h"
#include "stride/gallery/open_set_metrics.h"

namespace stride::gallery {

struct OpenSetSubjects {
  std::vector<int> enrolled, calibration, non_mated;
};
// Throws stride::Error for fewer than three subjects.
OpenSetSubjects open_set_subjects(std::vector<int> subjects);

inline constexpr double kReportedFpirs[] = {0.001, 0.01, 0.1};

struct OpenSetReport {
  OpenSetSubjects subjects;
  size_t templates = 0;
  size_t mated_searches = 0;
  size_t calibration_searches = 0;
  size_t non_mated_searches = 0;
  std::vector<DirAtFpir> dir;  // at kReportedFpirs
  double rank1 = 0;            // closed-set rank-1 of the mated searches
};

// `features` holds one row per recording of `samples`.
OpenSetReport evaluate_open_set(const eval::MatrixView& features, std::span<const eval::GaitSample> samples,
                                const eval::GaitProtocol& protocol);

}  // namespace stride::gallery
