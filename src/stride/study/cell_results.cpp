#include "stride/study/cell_results.h"

#include <fmt/format.h>

#include <filesystem>

namespace stride::study {
namespace fs = std::filesystem;
using Json = nlohmann::json;

Outcomes index_outcomes(const std::vector<CellOutcome>& outcomes) {
  Outcomes index;
  for (const CellOutcome& o : outcomes) index[o.id] = &o;
  return index;
}

const Json* CellResults::result(const std::string& id) const {
  const auto it = outcomes_.find(id);
  if (it == outcomes_.end() || it->second->result.is_null()) return nullptr;
  return &it->second->result;
}

std::optional<double> CellResults::number(const std::string& id, const Json::json_pointer& at) const {
  const Json* r = result(id);
  if (!r || !r->contains(at) || !(*r)[at].is_number()) return std::nullopt;
  return (*r)[at].get<double>();
}

std::optional<double> CellResults::accuracy(const std::string& model, const std::string& key,
                                            const std::string& suffix) const {
  return number(fmt::format("eval/{}/{}{}", model, key, suffix), Json::json_pointer("/mean_rank1"));
}

std::optional<int64_t> CellResults::probes(const std::string& model, const std::string& key,
                                           const std::string& suffix) const {
  const Json* r = result(fmt::format("eval/{}/{}{}", model, key, suffix));
  const Json::json_pointer at("/result/conditions");
  if (!r || !r->contains(at)) return std::nullopt;
  int64_t n = 0;
  for (const Json& c : (*r)[at]) {
    if (!c.contains("probes")) return std::nullopt;  // from before evaluations counted CASIA-B's probes
    n += c["probes"].get<int64_t>();
  }
  return n;
}

const Json* CellResults::timing(const std::string& model, const std::string& key, int64_t batch,
                                const std::string& backend) const {
  const Json* r = result(fmt::format("bench/{}/{}", model, key));
  if (!r || !r->contains("batches")) return nullptr;
  for (const Json& b : (*r)["batches"])
    if (b.value("batch", int64_t{0}) == batch)
      for (const Json& t : b["backends"])
        if (t.value("backend", "") == backend) return &t;
  return nullptr;
}

std::optional<double> CellResults::median_ms(const std::string& model, const std::string& key, int64_t batch,
                                             const std::string& part, const std::string& backend) const {
  const Json* t = timing(model, key, batch, backend);
  if (!t) return std::nullopt;
  const std::string name = part == "feature_extractor" && !t->contains(part) ? "latency" : part;
  if (!t->contains(name)) return std::nullopt;
  return (*t)[name].value("median_ms", 0.0);
}

std::optional<double> CellResults::energy(const std::string& model, const std::string& key, int64_t batch,
                                          const std::string& figure, std::set<std::string>& reasons) const {
  const Json* t = timing(model, key, batch, "onednn");
  if (!t) return std::nullopt;
  if (!t->contains("energy")) {
    reasons.insert("no energy meter was asked for");
    return std::nullopt;
  }
  const Json& e = (*t)["energy"];
  if (e.contains(figure) && e[figure].is_number()) return e[figure].get<double>();
  reasons.insert(e.value("reason", std::string("not measured")));
  return std::nullopt;
}

std::optional<double> CellResults::file_bytes(const std::string& model, const std::string& key) const {
  const auto it = outcomes_.find(producer_cell(model, key));
  if (it == outcomes_.end()) return std::nullopt;
  std::error_code error;
  const auto size = fs::file_size(it->second->folder / "model.onnx", error);
  if (error) return std::nullopt;
  return static_cast<double>(size);
}

std::string producer_cell(const std::string& model, const std::string& key) {
  if (key == "untrained") return "build/" + model;
  if (key == "fp32") return "train/" + model;
  if (key == "3d-to-2d") return "convert/" + model + "/" + key;
  if (key.starts_with("pruned-") && !key.ends_with("-int8")) return "prune/" + model + "/" + key;
  return "quantize/" + model + "/" + key;
}

}  // namespace stride::study
