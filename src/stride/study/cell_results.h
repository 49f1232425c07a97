#pragma once
// Reading the figures a study's tables and plots need out of its cells' JSON results: accuracy of a
// model variant, its median time per batch size and backend, its energy figures (or why there are
// none), its file size. Variants are named by key: "fp32", "fp16", "bf16", "int8", "pruned-30",
// "pruned-30-int8", "3d-to-2d", "untrained" (see study_plan.h for the cell ids).
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "stride/study/study_runner.h"

namespace stride::study {

// The outcomes by cell id.
using Outcomes = std::map<std::string, const CellOutcome*>;
Outcomes index_outcomes(const std::vector<CellOutcome>& outcomes);

class CellResults {
 public:
  explicit CellResults(const Outcomes& outcomes) : outcomes_(outcomes) {}

  // The cell's JSON result; null when it did not run, failed or wrote none.
  const nlohmann::json* result(const std::string& id) const;
  std::optional<double> number(const std::string& id, const nlohmann::json::json_pointer& at) const;
  // Mean rank-1 of eval/<model>/<key><suffix> (suffix "-knn" for a second classifier).
  std::optional<double> accuracy(const std::string& model, const std::string& key,
                                 const std::string& suffix = "") const;
  // The probe recordings behind that accuracy: the sum over its protocol's probe conditions.
  std::optional<int64_t> probes(const std::string& model, const std::string& key, const std::string& suffix = "") const;
  // Median ms of bench/<model>/<key> at `batch` on `backend`; part: "latency" (whole model),
  // "feature_extractor" (the whole model when it has no head) or "head".
  std::optional<double> median_ms(const std::string& model, const std::string& key, int64_t batch,
                                  const std::string& part, const std::string& backend = "onednn") const;
  // An onednn energy figure ("mj_per_inference", "edp_mj_ms", "mj_per_sample", ...) when measured;
  // otherwise nothing, and the reason goes into `reasons`.
  std::optional<double> energy(const std::string& model, const std::string& key, int64_t batch,
                               const std::string& figure, std::set<std::string>& reasons) const;
  // Size of the variant's ONNX file in bytes.
  std::optional<double> file_bytes(const std::string& model, const std::string& key) const;

 private:
  const nlohmann::json* timing(const std::string& model, const std::string& key, int64_t batch,
                               const std::string& backend) const;
  const Outcomes& outcomes_;
};

// The cell that wrote a variant's model file.
std::string producer_cell(const std::string& model, const std::string& key);

}  // namespace stride::study
