#include "stride/data/casia_b.h"

#include <algorithm>
#include <map>
#include <set>

#include "stride/core/error.h"
#include "stride/data/dataset_checks.h"
#include "stride/data/folder_scan.h"
#include "stride/data/gait_energy.h"
#include "stride/data/image_file.h"
#include "stride/data/layout.h"
#include "stride/data/silhouette_align.h"

namespace stride::data {
namespace fs = std::filesystem;
namespace {

constexpr DatasetLayout kLayout = DatasetLayout::casia_b;

void scan_view(CasiaBSequence& seq) {
  for (const fs::directory_entry& entry : sorted_entries(seq.folder, "view")) {
    const std::string name = entry.path().filename().string();
    const auto frame = parse_casia_b_frame_name(name);
    if (!entry.is_regular_file() || !frame)
      bad_entry(entry.path(), "not a silhouette frame",
                "files named ID-COND-SEQ-VIEW-FRAME.png like 001-nm-01-090-001.png");
    if (frame->subject != seq.subject || frame->condition != seq.condition || frame->sequence != seq.sequence ||
        frame->view != seq.view)
      bad_entry(entry.path(), "frame name disagrees with its folders",
                casia_b_frame_name(seq.subject, seq.condition, seq.sequence, seq.view, frame->frame));
    seq.frames.push_back(entry.path());  // sorted names of equal width are in frame order
  }
  if (seq.frames.empty()) bad_entry(seq.folder, "empty sequence (no frames)", "at least one PNG silhouette");
}

}  // namespace

CasiaBIndex CasiaBIndex::scan(const fs::path& root) {
  CasiaBIndex index;
  index.root_ = root;
  // Every recording must be seen from the same views, every subject in the same sequences.
  std::map<fs::path, std::set<std::string>> views_of, sequences_of;
  ScannedDataset found;
  check_generation_finished(root);
  for (const fs::directory_entry& subject_entry : sorted_entries(root, "CASIA-B dataset")) {
    if (!subject_entry.is_directory()) continue;
    const auto subject = parse_subject_folder(subject_entry.path().filename().string());
    if (!subject) bad_entry(subject_entry.path(), "not a subject folder", "three-digit subject folders like 001");
    for (const fs::directory_entry& seq_entry : sorted_entries(subject_entry.path(), "subject")) {
      const auto seq = parse_sequence_folder(kLayout, seq_entry.path().filename().string());
      if (!seq_entry.is_directory() || !seq)
        bad_entry(seq_entry.path(), "not a sequence folder", "folders named nm-01..nm-06, bg-01, bg-02, cl-01, cl-02");
      const size_t before = index.sequences_.size();
      for (const fs::directory_entry& view_entry : sorted_entries(seq_entry.path(), "sequence")) {
        const auto view = parse_view_folder(view_entry.path().filename().string());
        if (!view_entry.is_directory() || !view)
          bad_entry(view_entry.path(), "not a view folder", "three-digit view folders 000..180 like 090");
        CasiaBSequence s{*subject, seq->condition, seq->number, *view, view_entry.path(), {}};
        scan_view(s);
        views_of[seq_entry.path()].insert(view_entry.path().filename().string());
        found.views.insert(view_entry.path().filename().string());
        found.frames[s.folder] = s.frames.size();
        index.sequences_.push_back(std::move(s));
      }
      if (index.sequences_.size() == before)
        bad_entry(seq_entry.path(), "sequence without view folders", "view folders like 090");
      sequences_of[subject_entry.path()].insert(seq_entry.path().filename().string());
      found.sequences.insert(seq_entry.path().filename().string());
    }
    if (!sequences_of.count(subject_entry.path()))
      bad_entry(subject_entry.path(), "empty subject folder", "sequence folders like nm-01");
    found.subjects.insert(*subject);
  }
  if (index.sequences_.empty()) fail("CASIA-B dataset {} has no subject folders (like 001/nm-01/090)", root.string());
  check_same_children(views_of, "view");
  check_same_children(sequences_of, "sequence");
  check_against_manifest(root, found);
  return index;
}

std::vector<int> CasiaBIndex::subjects() const {
  std::set<int> ids;
  for (const CasiaBSequence& s : sequences_) ids.insert(s.subject);
  return {ids.begin(), ids.end()};
}

std::vector<int> CasiaBIndex::views() const {
  std::set<int> views;
  for (const CasiaBSequence& s : sequences_) views.insert(s.view);
  return {views.begin(), views.end()};
}

const CasiaBSequence& CasiaBIndex::find(int subject, Condition condition, int sequence, int view) const {
  for (const CasiaBSequence& s : sequences_)
    if (s.subject == subject && s.condition == condition && s.sequence == sequence && s.view == view) return s;
  fail("CASIA-B dataset {} has no recording {}/{}/{}", root_.string(), subject_folder(subject),
       sequence_folder(kLayout, condition, sequence), view_folder(view));
}

std::vector<cv::Mat> read_silhouettes(const CasiaBSequence& sequence) {
  std::vector<cv::Mat> frames = read_grey_sequence(sequence.frames);
  for (size_t i = 0; i < frames.size(); ++i) {
    const cv::Mat& frame = frames[i];
    const fs::path& path = sequence.frames[i];
    std::vector<cv::Point> grey;
    cv::findNonZero((frame != 0) & (frame != 255), grey);
    if (!grey.empty())
      fail("silhouette {} is not binary: value {} at x={}, y={}; expected only 0 and 255", path.string(),
           frame.at<uint8_t>(grey.front()), grey.front().x, grey.front().y);
  }
  return frames;
}

namespace {

std::vector<cv::Mat> aligned_frames(const CasiaBSequence& sequence, int width = kAlignedWidth) {
  std::vector<cv::Mat> aligned = align_silhouettes(read_silhouettes(sequence), width);
  if (aligned.empty()) bad_entry(sequence.folder, "every frame is empty", "a sequence with a visible walker");
  return aligned;
}

}  // namespace

Tensor load_silhouette_clip(const CasiaBSequence& sequence, int count, int start) {
  return silhouette_clip(aligned_frames(sequence), count, start);
}

Tensor load_gait_energy_image(const CasiaBSequence& sequence) {
  return gait_energy_image_over_cycles(aligned_frames(sequence));
}

Tensor load_gait_energy_input(const CasiaBSequence& sequence, int height, int width) {
  return gait_energy_input(aligned_frames(sequence, gait_energy_columns(height, width)), height, width);
}

}  // namespace stride::data
