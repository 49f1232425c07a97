#include "stride/data/tum_gaid.h"

#include <map>
#include <set>

#include "stride/core/error.h"
#include "stride/data/dataset_checks.h"
#include "stride/data/folder_scan.h"
#include "stride/data/image_file.h"
#include "stride/data/layout.h"

namespace stride::data {
namespace fs = std::filesystem;

TumGaidIndex TumGaidIndex::scan(const fs::path& root) {
  TumGaidIndex index;
  index.root_ = root;
  std::map<fs::path, std::set<std::string>> sequences_of;  // per subject folder
  ScannedDataset found;
  check_generation_finished(root);
  for (const fs::directory_entry& subject_entry : sorted_entries(root, "TUM-GAID dataset")) {
    if (!subject_entry.is_directory()) continue;
    const auto subject = parse_subject_folder(subject_entry.path().filename().string());
    if (!subject) bad_entry(subject_entry.path(), "not a subject folder", "three-digit subject folders like 001");
    for (const fs::directory_entry& seq_entry : sorted_entries(subject_entry.path(), "subject")) {
      const auto seq = parse_sequence_folder(DatasetLayout::tum_gaid, seq_entry.path().filename().string());
      if (!seq_entry.is_directory() || !seq)
        bad_entry(seq_entry.path(), "not a sequence folder", "folders named n-01..n-06, b-01, b-02, s-01, s-02");
      TumGaidSequence s{*subject, seq->condition, seq->number, seq_entry.path(), {}};
      sequences_of[subject_entry.path()].insert(seq_entry.path().filename().string());
      for (const fs::directory_entry& frame : sorted_entries(s.folder, "sequence")) {
        if (!frame.is_regular_file() || !parse_tum_gaid_frame_name(frame.path().filename().string()))
          bad_entry(frame.path(), "not a frame", "three-digit PNG frames like 001.png");
        s.frames.push_back(frame.path());
      }
      if (s.frames.empty()) bad_entry(s.folder, "empty sequence (no frames)", "PNG frames like 001.png");
      found.frames[s.folder] = s.frames.size();
      found.sequences.insert(seq_entry.path().filename().string());
      index.sequences_.push_back(std::move(s));
    }
    if (!sequences_of.count(subject_entry.path()))
      bad_entry(subject_entry.path(), "empty subject folder", "sequence folders like n-01");
    found.subjects.insert(*subject);
  }
  if (index.sequences_.empty()) fail("TUM-GAID dataset {} has no subject folders (like 001/n-01)", root.string());
  check_same_children(sequences_of, "sequence");
  check_against_manifest(root, found);
  return index;
}

std::vector<int> TumGaidIndex::subjects() const {
  std::set<int> ids;
  for (const TumGaidSequence& s : sequences_) ids.insert(s.subject);
  return {ids.begin(), ids.end()};
}

std::vector<cv::Mat> read_grey_frames(const TumGaidSequence& sequence) { return read_grey_sequence(sequence.frames); }

Tensor load_flow_sequence(const TumGaidSequence& sequence, int size) {
  return flow_sequence(read_grey_frames(sequence), size, sequence.folder.string());
}

}  // namespace stride::data
