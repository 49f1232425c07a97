#include "stride/gallery/open_set_evaluation.h"

#include <algorithm>
#include <set>
#include <string>

#include "stride/core/error.h"
#include "stride/gallery/template_index.h"

namespace stride::gallery {

OpenSetSubjects open_set_subjects(std::vector<int> subjects) {
  std::sort(subjects.begin(), subjects.end());
  subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
  const size_t n = subjects.size();
  if (n < 3)
    fail("open-set evaluation needs at least 3 test subjects (enrolled, calibration, non-mated), the data has {}", n);
  const size_t quarter = std::max<size_t>(1, n / 4);
  const size_t enrolled = n - 2 * quarter;
  OpenSetSubjects s;
  s.enrolled.assign(subjects.begin(), subjects.begin() + static_cast<std::ptrdiff_t>(enrolled));
  s.calibration.assign(subjects.begin() + static_cast<std::ptrdiff_t>(enrolled),
                       subjects.begin() + static_cast<std::ptrdiff_t>(enrolled + quarter));
  s.non_mated.assign(subjects.begin() + static_cast<std::ptrdiff_t>(enrolled + quarter), subjects.end());
  return s;
}

OpenSetReport evaluate_open_set(const eval::MatrixView& features, std::span<const eval::GaitSample> samples,
                                const eval::GaitProtocol& protocol) {
  if (static_cast<size_t>(features.rows()) != samples.size())
    fail("{} feature rows for {} recordings", features.rows(), samples.size());
  std::vector<int> ids;
  for (const eval::GaitSample& s : samples) ids.push_back(s.subject);
  OpenSetReport report;
  report.subjects = open_set_subjects(ids);
  const std::set<int> enrolled(report.subjects.enrolled.begin(), report.subjects.enrolled.end());
  const std::set<int> calibration(report.subjects.calibration.begin(), report.subjects.calibration.end());

  TemplateIndex index(features.cols());
  for (size_t r = 0; r < samples.size(); ++r)
    if (enrolled.count(samples[r].subject) && protocol.gallery.contains(samples[r]))
      index.add(static_cast<int64_t>(r), std::to_string(samples[r].subject), features.row(static_cast<int64_t>(r)));
  report.templates = static_cast<size_t>(index.size());
  if (index.size() == 0) fail("the enrolled subjects have no {} recordings to enroll", protocol.gallery.name);

  std::vector<Search> mated, calibrating, non_mated;
  for (size_t r = 0; r < samples.size(); ++r) {
    if (protocol.gallery.contains(samples[r])) continue;
    const int subject = samples[r].subject;
    Search search{enrolled.count(subject) ? std::to_string(subject) : std::string(),
                  index.search(features.row(static_cast<int64_t>(r)), index.size())};
    if (enrolled.count(subject))
      mated.push_back(std::move(search));
    else if (calibration.count(subject))
      calibrating.push_back(std::move(search));
    else
      non_mated.push_back(std::move(search));
  }
  if (mated.empty() || calibrating.empty() || non_mated.empty())
    fail("open-set evaluation needs probe recordings of enrolled, calibration and non-mated subjects");
  report.mated_searches = mated.size();
  report.calibration_searches = calibrating.size();
  report.non_mated_searches = non_mated.size();
  for (double target : kReportedFpirs) report.dir.push_back(dir_at_fpir(mated, calibrating, non_mated, target));
  report.rank1 = closed_set_rank1(mated);
  return report;
}

}  // namespace stride::gallery
