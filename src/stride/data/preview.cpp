#include "stride/data/preview.h"

#include <algorithm>
#include <climits>
#include <map>
#include <opencv2/imgproc.hpp>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "stride/core/error.h"
#include "stride/core/memory_budget.h"
#include "stride/data/casia_b.h"
#include "stride/data/har_preview.h"
#include "stride/data/image_file.h"
#include "stride/data/layout.h"
#include "stride/data/tum_gaid.h"
#include "stride/data/uci_har.h"

namespace stride::data {
namespace {

constexpr int kLabelWidth = 136, kGap = 2;

struct PreviewRow {
  std::string label;
  std::vector<cv::Mat> frames;
};

// One row per key (subject, condition[, view]) in key order, from the first sequence with that key,
// for the first `subjects` subjects.
template <typename Sequence, typename Key, typename Label, typename Read>
std::vector<PreviewRow> pick_rows(const std::vector<Sequence>& sequences, int subjects, Key&& key, Label&& label,
                                  Read&& read) {
  std::set<int> shown_subjects;
  std::map<decltype(key(sequences.front())), const Sequence*> chosen;
  for (const Sequence& s : sequences) {
    if (!shown_subjects.count(s.subject) && static_cast<int>(shown_subjects.size()) == subjects) continue;
    shown_subjects.insert(s.subject);
    chosen.emplace(key(s), &s);
  }
  std::vector<PreviewRow> rows;
  for (const auto& [k, s] : chosen) rows.push_back({label(*s), read(*s)});
  return rows;
}

cv::Mat draw_sheet(const std::vector<PreviewRow>& rows, const PreviewOptions& options) {
  const cv::Size frame = rows.front().frames.front().size();
  const cv::Size tile(std::max(1, static_cast<int>(frame.width * options.scale)),
                      std::max(1, static_cast<int>(frame.height * options.scale)));
  const int cols = options.frames;
  // Sized in 64 bits and checked against the memory budget before OpenCV is asked for it.
  const uint64_t height = rows.size() * static_cast<uint64_t>(tile.height + kGap) + kGap;
  const uint64_t width = kLabelWidth + static_cast<uint64_t>(cols) * static_cast<uint64_t>(tile.width + kGap) + kGap;
  check_memory(width * height, fmt::format("a preview sheet of {}x{} pixels", width, height));
  if (width > INT_MAX / 4 || height > INT_MAX / 4)
    fail("a preview sheet of {}x{} pixels is larger than an image can be: ask for fewer --frames or --subjects",
         width, height);
  cv::Mat sheet(static_cast<int>(height), static_cast<int>(width), CV_8UC1, cv::Scalar(96));
  for (size_t r = 0; r < rows.size(); ++r) {
    const int top = kGap + static_cast<int>(r) * (tile.height + kGap);
    cv::putText(sheet, rows[r].label, {6, top + tile.height / 2 + 5}, cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar(255),
                1, cv::LINE_AA);
    const std::vector<cv::Mat>& frames = rows[r].frames;
    for (int c = 0; c < cols; ++c) {
      const size_t index = cols == 1 ? 0 : static_cast<size_t>(c) * (frames.size() - 1) / (cols - 1);
      cv::Mat small;
      cv::resize(frames[index], small, tile, 0, 0, cv::INTER_AREA);
      small.copyTo(sheet(cv::Rect(kLabelWidth + kGap + c * (tile.width + kGap), top, tile.width, tile.height)));
    }
  }
  return sheet;
}

std::vector<PreviewRow> casia_b_rows(const std::filesystem::path& root, int subjects) {
  const CasiaBIndex index = CasiaBIndex::scan(root);
  return pick_rows(
      index.sequences(), subjects, [](const CasiaBSequence& s) { return std::tuple(s.subject, s.condition, s.view); },
      [](const CasiaBSequence& s) {
        return subject_folder(s.subject) + " " + sequence_folder(DatasetLayout::casia_b, s.condition, s.sequence) +
               " " + view_folder(s.view);
      },
      read_silhouettes);
}

std::vector<PreviewRow> tum_gaid_rows(const std::filesystem::path& root, int subjects) {
  const TumGaidIndex index = TumGaidIndex::scan(root);
  return pick_rows(
      index.sequences(), subjects, [](const TumGaidSequence& s) { return std::pair(s.subject, s.condition); },
      [](const TumGaidSequence& s) {
        return subject_folder(s.subject) + " " + sequence_folder(DatasetLayout::tum_gaid, s.condition, s.sequence);
      },
      read_grey_frames);
}

}  // namespace

void write_preview(const std::filesystem::path& root, const std::filesystem::path& png, const PreviewOptions& options) {
  if (options.subjects < 1 || options.frames < 1 || !(options.scale > 0.0) || options.scale > 4.0)
    fail("preview: subjects and frames must be at least 1 and scale in (0, 4]");
  if (is_uci_har(root)) {
    write_png(png, draw_har_sheet(load_uci_har(root, "train"), options));
    return;
  }
  const std::vector<PreviewRow> rows = detect_layout(root) == DatasetLayout::casia_b
                                           ? casia_b_rows(root, options.subjects)
                                           : tum_gaid_rows(root, options.subjects);
  write_png(png, draw_sheet(rows, options));
}

}  // namespace stride::data
