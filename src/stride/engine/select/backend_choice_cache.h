#pragma once
// `--backend auto`'s decisions, remembered per model, input shapes, thread count and machine, so
// that a model is timed once rather than at every start. The runtime library keeps them in memory
// for the life of the process; the `stride` tool also keeps them in a JSON file
// (default_choice_cache_file()). A cache file that cannot be read is treated as empty and
// rewritten: it only ever saves time.
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "stride/engine/select/make_backend.h"

namespace stride {

class BackendChoiceCache {
 public:
  // An empty path keeps the choices in memory only.
  explicit BackendChoiceCache(std::filesystem::path file = {}) : file_(std::move(file)) {}

  std::optional<BackendChoice> find(const std::string& key);
  // Remembers the choice, and writes the file (atomically, merged with what other processes wrote).
  void store(const std::string& key, const BackendChoice& choice);

 private:
  void load();

  std::mutex mutex_;
  std::filesystem::path file_;
  std::map<std::string, BackendChoice> choices_;
  bool loaded_ = false;
};

// What a decision depends on, as a hex fingerprint: the model's content (ops, attributes, weights,
// declared inputs), the input shapes and threads of `options`, and the machine — its CPU model,
// logical cores, and the fast engines' versions and instruction sets (ONEDNN_MAX_CPU_ISA counts).
std::string choice_key(const Graph& graph, const CompileOptions& options);

// $XDG_CACHE_HOME/stride/backend-choices.json, else $HOME/.cache/stride/backend-choices.json;
// empty when neither variable is set. Only the `stride` tool calls it.
std::filesystem::path default_choice_cache_file();

}  // namespace stride
