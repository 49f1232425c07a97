#include "stride/data/uci_har.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/data/dataset_checks.h"

namespace stride::data {
namespace fs = std::filesystem;
namespace {

constexpr std::array<std::string_view, 3> kSignalKinds{"body_acc", "body_gyro", "total_acc"};
constexpr std::array<char, 3> kAxes{'x', 'y', 'z'};
constexpr const char* kLabelsFile = "activity_labels.txt";
constexpr const char* kSignalsFolder = "Inertial Signals";

void check_split(std::string_view split) {
  if (split != "train" && split != "test") fail("UCI HAR split '{}': expected train or test", split);
}

fs::path labels_file(const fs::path& root, std::string_view split) {
  return root / split / fmt::format("y_{}.txt", split);
}
fs::path subjects_file(const fs::path& root, std::string_view split) {
  return root / split / fmt::format("subject_{}.txt", split);
}

// The lines of a text file without their line ends ("\n" or "\r\n"); blank lines at the end of the
// file are dropped, a blank line elsewhere stays (and is refused by whoever reads it).
struct TextLines {
  fs::path path;
  std::string text;
  std::vector<std::string_view> lines;
};

TextLines read_lines(const fs::path& path, std::string_view what) {
  std::error_code error;
  if (!fs::is_regular_file(path, error))
    fail("{}: missing; expected {} (UCI HAR layout, docs/data.md)", path.string(), what);
  TextLines file{path, read_file(path), {}};
  std::string_view rest = file.text;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    file.lines.push_back(line);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  while (!file.lines.empty() && file.lines.back().find_first_not_of(" \t") == std::string_view::npos)
    file.lines.pop_back();
  return file;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Line `index` (0-based) of `file` as one whole integer.
int parse_integer_line(const TextLines& file, size_t index, std::string_view expected) {
  const std::string_view line = trim(file.lines[index]);
  int value = 0;
  const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), value);
  if (line.empty() || error != std::errc() || end != line.data() + line.size())
    fail("{} line {}: '{}' is not {}", file.path.string(), index + 1, line, expected);
  return value;
}

// Parses one window of kHarWindowSamples values into `out`.
void parse_window(const TextLines& file, size_t index, float* out) {
  const std::string_view line = file.lines[index];
  const char* p = line.data();
  const char* const end = p + line.size();
  int64_t count = 0;
  while (true) {
    while (p != end && is_space(*p)) ++p;
    if (p == end) break;
    const char* start = p;
    while (p != end && !is_space(*p)) ++p;
    if (count == kHarWindowSamples)
      fail("{} line {}: more than {} values; expected one window of {} samples per line", file.path.string(), index + 1,
           kHarWindowSamples, kHarWindowSamples);
    float value = 0;
    const auto [parsed, error] = std::from_chars(start, p, value);
    if (error != std::errc() || parsed != p || !std::isfinite(value))
      fail("{} line {}, value {}: '{}' is not a finite number", file.path.string(), index + 1, count + 1,
           std::string_view(start, static_cast<size_t>(p - start)));
    out[count++] = value;
  }
  if (count != kHarWindowSamples)
    fail("{} line {}: {} values; expected one window of {} samples per line", file.path.string(), index + 1, count,
         kHarWindowSamples);
}

// Every file of a split has one line per window.
void check_count(const TextLines& reference, const TextLines& file) {
  if (file.lines.size() == reference.lines.size()) return;
  const bool fewer = file.lines.size() < reference.lines.size();
  const TextLines& longer = fewer ? reference : file;
  const TextLines& shorter = fewer ? file : reference;
  fail(
      "{} has {} windows but {} has {}: line {} of {} has no counterpart; every file of a split has one line "
      "per window",
      reference.path.string(), reference.lines.size(), file.path.string(), file.lines.size(), shorter.lines.size() + 1,
      longer.path.filename().string());
}

std::vector<std::string> read_activity_names(const fs::path& root) {
  const TextLines file = read_lines(root / kLabelsFile, "lines '1 WALKING', '2 WALKING_UPSTAIRS', ...");
  std::vector<std::string> names;
  for (size_t i = 0; i < file.lines.size(); ++i) {
    const std::string_view line = trim(file.lines[i]);
    const size_t space = line.find_first_of(" \t");
    const std::string_view number = line.substr(0, space);
    const std::string_view name = space == std::string_view::npos ? std::string_view{} : trim(line.substr(space));
    int id = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), id);
    if (error != std::errc() || end != number.data() + number.size() || id != static_cast<int>(i) + 1 || name.empty())
      fail("{} line {}: '{}'; expected '{} NAME' (activities numbered from 1 in order)", file.path.string(), i + 1,
           line, i + 1);
    names.emplace_back(name);
  }
  if (names.empty())
    fail("{}: no activities; expected lines '1 WALKING', '2 WALKING_UPSTAIRS', ...", file.path.string());
  return names;
}

void check_activity_name(const std::string& name) {
  if (name.empty() || name.find_first_of("\r\n") != std::string::npos || trim(name) != name)
    fail("activity name '{}': expected a non-empty name on one line without surrounding spaces", name);
}

// Values in the shortest form that reads back as the same float.
void write_windows_channel(std::ostream& out, const float* signals, int64_t windows, int channel) {
  fmt::memory_buffer line;
  for (int64_t w = 0; w < windows; ++w) {
    line.clear();
    const float* v = signals + (w * kHarChannels + channel) * kHarWindowSamples;
    for (int64_t s = 0; s < kHarWindowSamples; ++s) {
      if (s) line.push_back(' ');
      fmt::format_to(std::back_inserter(line), "{}", v[s]);
    }
    line.push_back('\n');
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
  }
}

void write_integers(const fs::path& path, const std::vector<int>& values, int offset) {
  fmt::memory_buffer text;
  for (int v : values) fmt::format_to(std::back_inserter(text), "{}\n", v + offset);
  write_file_atomically(path, std::string_view(text.data(), text.size()));
}

}  // namespace

std::string har_channel_name(int channel) {
  if (channel < 0 || channel >= kHarChannels) fail("UCI HAR channel {}: expected 0..{}", channel, kHarChannels - 1);
  return fmt::format("{}_{}", kSignalKinds[static_cast<size_t>(channel / 3)], kAxes[static_cast<size_t>(channel % 3)]);
}

fs::path har_signal_file(std::string_view split, int channel) {
  return fs::path(kSignalsFolder) / fmt::format("{}_{}.txt", har_channel_name(channel), split);
}

bool is_uci_har(const fs::path& root) {
  std::error_code error;
  return fs::is_regular_file(root / kLabelsFile, error) && fs::is_regular_file(labels_file(root, "train"), error);
}

HarWindows load_uci_har(const fs::path& root, std::string_view split) {
  check_split(split);
  check_generation_finished(root);
  HarWindows windows;
  windows.activity_names = read_activity_names(root);
  const int activities = static_cast<int>(windows.activity_names.size());

  const TextLines y = read_lines(labels_file(root, split), "one activity label per window");
  if (y.lines.empty()) fail("{}: no windows; expected one activity label per line", y.path.string());
  const std::string label_range = fmt::format("an activity label 1..{} (activity_labels.txt)", activities);
  for (size_t i = 0; i < y.lines.size(); ++i) {
    const int label = parse_integer_line(y, i, label_range);
    if (label < 1 || label > activities)
      fail("{} line {}: label {} is not in activity_labels.txt; expected 1..{}", y.path.string(), i + 1, label,
           activities);
    windows.labels.push_back(label - 1);
  }

  const TextLines subjects = read_lines(subjects_file(root, split), "one subject id per window");
  check_count(y, subjects);
  for (size_t i = 0; i < subjects.lines.size(); ++i) {
    const int subject = parse_integer_line(subjects, i, "a subject id (a whole number from 1)");
    if (subject < 1)
      fail("{} line {}: subject {}; expected a whole number from 1", subjects.path.string(), i + 1, subject);
    windows.subjects.push_back(subject);
  }

  const int64_t count = static_cast<int64_t>(y.lines.size());
  windows.signals = Tensor(DType::f32, {count, kHarChannels, kHarWindowSamples});
  float* values = windows.signals.data<float>();
  for (int channel = 0; channel < kHarChannels; ++channel) {
    const TextLines file = read_lines(root / split / har_signal_file(split, channel),
                                      fmt::format("one window of {} samples per line", kHarWindowSamples));
    check_count(y, file);
    for (int64_t w = 0; w < count; ++w)
      parse_window(file, static_cast<size_t>(w), values + (w * kHarChannels + channel) * kHarWindowSamples);
  }
  return windows;
}

void write_uci_har_labels(const fs::path& root, const std::vector<std::string>& activity_names) {
  if (activity_names.empty()) fail("{}: no activity names to write", (root / kLabelsFile).string());
  std::string text;
  for (size_t i = 0; i < activity_names.size(); ++i) {
    check_activity_name(activity_names[i]);
    text += fmt::format("{} {}\n", i + 1, activity_names[i]);
  }
  std::error_code error;
  fs::create_directories(root, error);
  if (error) fail("cannot create folder {}: {}", root.string(), error.message());
  write_file_atomically(root / kLabelsFile, text);
}

void write_uci_har_split(const fs::path& root, std::string_view split, const HarWindows& windows) {
  check_split(split);
  const Tensor& signals = windows.signals;
  if (signals.dtype() != DType::f32 || signals.rank() != 3 || signals.dim(1) != kHarChannels ||
      signals.dim(2) != kHarWindowSamples)
    fail("UCI HAR {} split: signals of shape {} ({}); expected f32 [N, {}, {}]", split, shape_str(signals.shape()),
         dtype_name(signals.dtype()), kHarChannels, kHarWindowSamples);
  const int64_t count = signals.dim(0);
  if (count == 0) fail("UCI HAR {} split: no windows to write", split);
  if (static_cast<int64_t>(windows.labels.size()) != count || static_cast<int64_t>(windows.subjects.size()) != count)
    fail("UCI HAR {} split: {} windows but {} labels and {} subjects", split, count, windows.labels.size(),
         windows.subjects.size());
  const int activities = static_cast<int>(windows.activity_names.size());
  for (int64_t w = 0; w < count; ++w) {
    const int label = windows.labels[static_cast<size_t>(w)], subject = windows.subjects[static_cast<size_t>(w)];
    if (label < 0 || (activities > 0 && label >= activities))
      fail("UCI HAR {} split, window {}: label {}; expected 0..{} (0-based, one per activity name)", split, w, label,
           activities - 1);
    if (subject < 1) fail("UCI HAR {} split, window {}: subject {}; expected an id from 1", split, w, subject);
  }
  const float* values = signals.data<float>();
  for (int64_t i = 0; i < signals.numel(); ++i)
    if (!std::isfinite(values[i]))
      fail("UCI HAR {} split, window {}, {}: a non-finite value", split, i / (kHarChannels * kHarWindowSamples),
           har_channel_name(static_cast<int>(i / kHarWindowSamples % kHarChannels)));

  std::error_code error;
  fs::create_directories(root / split / kSignalsFolder, error);
  if (error) fail("cannot create folder {}: {}", (root / split / kSignalsFolder).string(), error.message());
  write_integers(labels_file(root, split), windows.labels, 1);
  write_integers(subjects_file(root, split), windows.subjects, 0);
  for (int channel = 0; channel < kHarChannels; ++channel)
    write_file_atomically(root / split / har_signal_file(split, channel),
                          [&](std::ostream& out) { write_windows_channel(out, values, count, channel); });
}

}  // namespace stride::data
