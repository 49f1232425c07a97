#pragma once
// Identities for simultaneous probes (several people walking in the same frames): one person can
// be at one place only, so no identity may be given to two probes at once. Among the assignments
// that pair probes with persons one to one, using only pairs scoring at or above the threshold,
// the one chosen names the most probes, and of those the one with the highest total score
// (Kuhn–Munkres, core/assignment.h). A probe left without a person is unknown.
#include <cstdint>
#include <optional>
#include <vector>

namespace stride::gallery {

// scores[p][q]: probe p against person q (all rows of one length). Returns, for each probe, the
// person's column or nullopt (unknown). Throws stride::Error for rows of different lengths.
std::vector<std::optional<size_t>> assign_unique_identities(const std::vector<std::vector<double>>& scores,
                                                            double threshold);

}  // namespace stride::gallery
