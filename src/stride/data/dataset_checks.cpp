#include "stride/data/dataset_checks.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>
#include <sstream>

#include "stride/core/error.h"
#include "stride/data/synthesizer.h"

namespace stride::data {
namespace fs = std::filesystem;

void check_same_children(const std::map<fs::path, std::set<std::string>>& children_of, std::string_view what) {
  std::set<std::string> all;
  for (const auto& [folder, names] : children_of) all.insert(names.begin(), names.end());
  for (const auto& [folder, names] : children_of)
    for (const std::string& name : all)
      if (!names.count(name))
        fail("{}: missing {}; expected every {} folder to have the {} folders the others have ({})",
             (folder / name).string(), what, what == "view" ? "recording" : "subject", what, fmt::join(all, " "));
}

namespace {

// The manifest's "key: value" lines.
std::map<std::string, std::string> read_manifest(const fs::path& path) {
  std::ifstream in(path);
  if (!in) fail("{}: cannot read the dataset's manifest", path.string());
  std::map<std::string, std::string> fields;
  for (std::string line; std::getline(in, line);)
    if (const size_t colon = line.find(": "); colon != std::string::npos)
      fields[line.substr(0, colon)] = line.substr(colon + 2);
  return fields;
}

std::set<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::set<std::string> out;
  for (std::string w; in >> w;) out.insert(w);
  return out;
}

std::string field(const std::map<std::string, std::string>& fields, const fs::path& path, const std::string& key) {
  auto it = fields.find(key);
  if (it == fields.end()) fail("{}: the manifest has no '{}' line", path.string(), key);
  return it->second;
}

}  // namespace

void check_generation_finished(const fs::path& root) {
  const fs::path path = root / kSynthManifest;
  if (!fs::exists(path)) return;
  // Manifests without a state line come from generators that wrote the manifest last, when done.
  const auto fields = read_manifest(path);
  const auto it = fields.find("state");
  const std::string state = it == fields.end() ? "complete" : it->second;
  if (state != "complete")
    fail("dataset {} is incomplete: its generation was interrupted ({} says state: {}); generate it again",
         root.string(), path.string(), state);
}

void check_against_manifest(const fs::path& root, const ScannedDataset& found) {
  const fs::path path = root / kSynthManifest;
  if (!fs::exists(path)) return;
  const auto fields = read_manifest(path);
  const auto field = [&](const std::string& key) { return data::field(fields, path, key); };
  const auto partial = [&](const std::string& what, const std::string& listed, const std::string& present) {
    fail("dataset {} is partial: its manifest lists {} {}, the folders hold {}", root.string(), what, listed,
         present);
  };
  const std::string subjects = field("subjects");
  if (std::to_string(found.subjects.size()) != subjects)
    partial("subjects:", subjects, std::to_string(found.subjects.size()));
  if (words(field("sequences")) != found.sequences)
    partial("sequences", field("sequences"), fmt::format("{}", fmt::join(found.sequences, " ")));
  if (!found.views.empty() && words(field("views")) != found.views)
    partial("views", field("views"), fmt::format("{}", fmt::join(found.views, " ")));
  const std::string frames = field("frames");
  for (const auto& [folder, count] : found.frames)
    if (std::to_string(count) != frames)
      fail("{}: {} frames, but the dataset's manifest says every recording has {} (a partial copy?)",
           folder.string(), count, frames);
}

}  // namespace stride::data
