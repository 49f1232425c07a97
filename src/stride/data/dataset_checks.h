#pragma once
// Checks a dataset index makes after scanning its folders, so that a damaged or partial dataset is
// refused instead of silently changing the protocol (a subject with fewer conditions, a split
// shifted by an empty subject, a generation cut short).
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace stride::data {

// Every folder in `children_of` must contain every child name that any of them contains (views of
// a recording, sequences of a subject). Throws stride::Error naming the first missing path.
void check_same_children(const std::map<std::filesystem::path, std::set<std::string>>& children_of,
                         std::string_view what);

// What a scan found, for comparing with the generator's manifest.
struct ScannedDataset {
  std::set<int> subjects;
  std::set<std::string> sequences;   // sequence folder names, e.g. "nm-01"
  std::set<std::string> views;       // view folder names, e.g. "090" (CASIA-B)
  std::map<std::filesystem::path, size_t> frames;  // per frame folder
};

// When `root` holds the manifest of `stride data synth`, its generation must have finished (checked
// before scanning: an interrupted one also has empty folders, a less telling error) and the dataset
// must be what it lists (after). Datasets without a manifest (made elsewhere) pass both.
void check_generation_finished(const std::filesystem::path& root);
void check_against_manifest(const std::filesystem::path& root, const ScannedDataset& found);

}  // namespace stride::data
