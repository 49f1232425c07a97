#pragma once
// The gallery's search: FAISS IndexIDMap2 over an exact inner-product index of unit-length copies
// of the templates, so that a score is the cosine similarity (−1 … 1, higher is more alike). It is
// built in memory from the decrypted templates each time a gallery is opened and never written to
// disk (faiss::write_index would store the templates in clear).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace faiss {
struct Index;
}

namespace stride::gallery {

// A person the search proposes: their label (a pseudonym) and the best score of their templates.
struct Candidate {
  std::string label;
  double score = 0;
};

class TemplateIndex {
 public:
  explicit TemplateIndex(int64_t dimensions);
  ~TemplateIndex();
  TemplateIndex(const TemplateIndex&) = delete;
  TemplateIndex& operator=(const TemplateIndex&) = delete;
  TemplateIndex(TemplateIndex&&) noexcept;
  TemplateIndex& operator=(TemplateIndex&&) = delete;

  int64_t dimensions() const { return dimensions_; }
  int64_t size() const;  // templates
  // Adds a template under a unique `id` for the person `label`; throws stride::Error for a length
  // other than dimensions().
  void add(int64_t id, const std::string& label, std::span<const float> values);

  // The persons among the `k` templates nearest `probe`, each once with their best score, best
  // first (ties by label); k at least size() ranks every person.
  std::vector<Candidate> search(std::span<const float> probe, int64_t k) const;

 private:
  int64_t dimensions_;
  std::unique_ptr<faiss::Index> flat_;   // the vectors
  std::unique_ptr<faiss::Index> index_;  // their ids (an IndexIDMap2 over flat_, which outlives it)
  std::unordered_map<int64_t, std::string> label_of_id_;
};

// `values` scaled to unit length (a zero vector stays zero).
std::vector<float> unit_length(std::span<const float> values);

}  // namespace stride::gallery
