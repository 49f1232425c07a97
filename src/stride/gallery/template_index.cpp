#include "stride/gallery/template_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexIDMap.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "stride/core/error.h"

namespace stride::gallery {

std::vector<float> unit_length(std::span<const float> values) {
  double sum = 0;
  for (float v : values) sum += static_cast<double>(v) * v;
  std::vector<float> out(values.begin(), values.end());
  if (sum == 0) return out;
  const auto scale = static_cast<float>(1 / std::sqrt(sum));
  for (float& v : out) v *= scale;
  return out;
}

TemplateIndex::TemplateIndex(int64_t dimensions) : dimensions_(dimensions) {
  if (dimensions < 1) fail("a template index needs at least one dimension, got {}", dimensions);
  flat_ = std::make_unique<faiss::IndexFlatIP>(dimensions);
  index_ = std::make_unique<faiss::IndexIDMap2>(flat_.get());
}

TemplateIndex::~TemplateIndex() = default;
TemplateIndex::TemplateIndex(TemplateIndex&&) noexcept = default;  // the map keeps pointing at the moved flat_

int64_t TemplateIndex::size() const { return index_->ntotal; }

void TemplateIndex::add(int64_t id, const std::string& label, std::span<const float> values) {
  if (static_cast<int64_t>(values.size()) != dimensions_)
    fail("template {} has {} values, the index takes {}", id, values.size(), dimensions_);
  const std::vector<float> unit = unit_length(values);
  index_->add_with_ids(1, unit.data(), &id);
  label_of_id_[id] = label;
}

std::vector<Candidate> TemplateIndex::search(std::span<const float> probe, int64_t k) const {
  if (static_cast<int64_t>(probe.size()) != dimensions_)
    fail("a probe of {} values against templates of {}", probe.size(), dimensions_);
  k = std::min(k, size());
  if (k < 1) return {};
  const std::vector<float> unit = unit_length(probe);
  std::vector<float> scores(static_cast<size_t>(k));
  std::vector<int64_t> ids(static_cast<size_t>(k));
  index_->search(1, unit.data(), k, scores.data(), ids.data());
  std::map<std::string, double> best;
  for (int64_t i = 0; i < k; ++i) {
    if (ids[i] < 0) continue;
    const std::string& label = label_of_id_.at(ids[i]);
    auto [it, inserted] = best.emplace(label, scores[i]);
    if (!inserted) it->second = std::max(it->second, static_cast<double>(scores[i]));
  }
  std::vector<Candidate> candidates;
  for (const auto& [label, score] : best) candidates.push_back({label, score});
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  return candidates;
}

}  // namespace stride::gallery
