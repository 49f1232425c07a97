#include "stride/engine/select/backend_choice_cache.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "stride/core/atomic_file.h"
#include "stride/core/content_hash.h"
#include "stride/engine/select/measured_choice.h"

namespace stride {
namespace {

void add_attribute(ContentHash& hash, const AttrValue& value) {
  hash.add(static_cast<int64_t>(value.index()));
  std::visit(
      [&hash](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, float>) {
          hash.add(&v, sizeof v);
        } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, Tensor>) {
          hash.add(v);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          for (const std::string& s : v) hash.add(s);
        } else {
          hash.add(static_cast<int64_t>(v.size()));
          hash.add(v.data(), v.size() * sizeof(v[0]));
        }
      },
      value);
}

void add_values(ContentHash& hash, const std::vector<ValueInfo>& values) {
  for (const ValueInfo& v : values) {
    hash.add(v.name).add(static_cast<int64_t>(v.dtype));
    for (int64_t d : v.shape) hash.add(d);
  }
}

// The lines of /proc/cpuinfo that name the processor (x86's model name, arm64's implementer and part).
std::string cpu_identity() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, identity;
  for (const char* field : {"model name", "CPU implementer", "CPU part", "CPU variant"}) {
    cpuinfo.clear();
    cpuinfo.seekg(0);
    while (std::getline(cpuinfo, line))
      if (line.rfind(field, 0) == 0) {
        identity += line + "\n";
        break;
      }
  }
  return identity;
}

}  // namespace

std::string choice_key(const Graph& graph, const CompileOptions& options) {
  ContentHash hash;
  add_values(hash, graph.inputs);
  add_values(hash, graph.outputs);
  for (const Node& node : graph.nodes) {
    hash.add(node.op_type);
    for (const std::string& in : node.inputs) hash.add(in);
    for (const std::string& out : node.outputs) hash.add(out);
    for (const auto& [name, value] : node.attrs.all()) {
      hash.add(name);
      add_attribute(hash, value);
    }
  }
  for (const auto& [name, tensor] : graph.initializers) hash.add(name).add(tensor);
  for (const auto& [name, shape] : options.input_shapes) {
    hash.add(name);
    for (int64_t d : shape) hash.add(d);
  }
  hash.add(static_cast<int64_t>(options.threads)).add(static_cast<int64_t>(std::thread::hardware_concurrency()));
  hash.add(cpu_identity());
  for (const std::string& name : fast_backends()) {
    const auto backend = make_backend(name);
    hash.add(backend->library_version()).add(backend->cpu_features());
  }
  return fmt::format("{:016x}", hash.value());
}

void BackendChoiceCache::load() {
  if (loaded_) return;
  loaded_ = true;
  if (file_.empty() || !std::filesystem::exists(file_)) return;
  try {
    const nlohmann::json entries = nlohmann::json::parse(read_file(file_));
    for (const auto& [key, entry] : entries.items())
      choices_.try_emplace(key, BackendChoice{entry.at("backend").get<std::string>(), entry.at("reason").get<std::string>()});
  } catch (const std::exception&) {
    // Unreadable: nothing remembered; the next store rewrites the file whole.
  }
}

std::optional<BackendChoice> BackendChoiceCache::find(const std::string& key) {
  const std::lock_guard lock(mutex_);
  load();
  if (auto it = choices_.find(key); it != choices_.end()) return it->second;
  return std::nullopt;
}

void BackendChoiceCache::store(const std::string& key, const BackendChoice& choice) {
  const std::lock_guard lock(mutex_);
  loaded_ = false;  // what other processes wrote since is kept
  load();
  choices_[key] = choice;
  if (file_.empty()) return;
  nlohmann::json entries = nlohmann::json::object();
  for (const auto& [k, c] : choices_) entries[k] = {{"backend", c.name}, {"reason", c.reason}};
  try {
    std::filesystem::create_directories(file_.parent_path());
    write_file_atomically(file_, entries.dump(2) + "\n");
  } catch (const std::exception&) {
    // A cache that cannot be written (a read-only home) costs a measurement next time, nothing more.
  }
}

std::filesystem::path default_choice_cache_file() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "stride" / "backend-choices.json";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".cache" / "stride" / "backend-choices.json";
  return {};
}

}  // namespace stride
