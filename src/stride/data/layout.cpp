#include "stride/data/layout.h"

#include <fmt/format.h>

#include <array>

#include "stride/core/error.h"
#include "stride/data/folder_scan.h"

namespace stride::data {
namespace {

struct ConditionName {
  DatasetLayout layout;
  Condition condition;
  std::string_view code;
};

constexpr std::array<ConditionName, 6> kConditionNames{{
    {DatasetLayout::casia_b, Condition::normal, "nm"},
    {DatasetLayout::casia_b, Condition::bag, "bg"},
    {DatasetLayout::casia_b, Condition::coat, "cl"},
    {DatasetLayout::tum_gaid, Condition::normal, "n"},
    {DatasetLayout::tum_gaid, Condition::backpack, "b"},
    {DatasetLayout::tum_gaid, Condition::shoe_covers, "s"},
}};

// A number written with exactly `digits` decimal digits.
std::optional<int> parse_digits(std::string_view text, size_t digits) {
  if (text.size() != digits) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<Condition> parse_condition(DatasetLayout layout, std::string_view code) {
  for (const ConditionName& n : kConditionNames)
    if (n.layout == layout && n.code == code) return n.condition;
  return std::nullopt;
}

// Splits "a-b-c" at '-' into exactly N pieces.
template <size_t N>
std::optional<std::array<std::string_view, N>> split_dashes(std::string_view text) {
  std::array<std::string_view, N> parts;
  for (size_t i = 0; i + 1 < N; ++i) {
    const size_t dash = text.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    parts[i] = text.substr(0, dash);
    text.remove_prefix(dash + 1);
  }
  if (text.find('-') != std::string_view::npos) return std::nullopt;
  parts[N - 1] = text;
  return parts;
}

std::optional<std::string_view> strip_png(std::string_view name) {
  constexpr std::string_view kPng = ".png";
  if (name.size() <= kPng.size() || name.substr(name.size() - kPng.size()) != kPng) return std::nullopt;
  return name.substr(0, name.size() - kPng.size());
}

bool positive(const std::optional<int>& n) { return n && *n > 0; }

}  // namespace

std::string_view condition_code(DatasetLayout layout, Condition condition) {
  for (const ConditionName& n : kConditionNames)
    if (n.layout == layout && n.condition == condition) return n.code;
  fail("the {} layout has no name for condition #{}", layout_name(layout), static_cast<int>(condition));
}

std::string_view layout_name(DatasetLayout layout) { return layout == DatasetLayout::casia_b ? "CASIA-B" : "TUM-GAID"; }

std::string subject_folder(int subject) { return fmt::format("{:03d}", subject); }

std::string sequence_folder(DatasetLayout layout, Condition condition, int number) {
  return fmt::format("{}-{:02d}", condition_code(layout, condition), number);
}

std::string view_folder(int view) { return fmt::format("{:03d}", view); }

std::string casia_b_frame_name(int subject, Condition condition, int sequence, int view, int frame) {
  return fmt::format("{}-{}-{}-{:03d}.png", subject_folder(subject),
                     sequence_folder(DatasetLayout::casia_b, condition, sequence), view_folder(view), frame);
}

std::string tum_gaid_frame_name(int frame) { return fmt::format("{:03d}.png", frame); }

std::optional<int> parse_subject_folder(std::string_view name) {
  auto id = parse_digits(name, 3);
  return positive(id) ? id : std::nullopt;
}

std::optional<SequenceName> parse_sequence_folder(DatasetLayout layout, std::string_view name) {
  auto parts = split_dashes<2>(name);
  if (!parts) return std::nullopt;
  auto condition = parse_condition(layout, (*parts)[0]);
  auto number = parse_digits((*parts)[1], 2);
  if (!condition || !positive(number)) return std::nullopt;
  return SequenceName{*condition, *number};
}

std::optional<int> parse_view_folder(std::string_view name) {
  auto view = parse_digits(name, 3);
  return view && *view <= 180 ? view : std::nullopt;
}

std::optional<CasiaBFrameName> parse_casia_b_frame_name(std::string_view name) {
  auto stem = strip_png(name);
  if (!stem) return std::nullopt;
  auto parts = split_dashes<5>(*stem);
  if (!parts) return std::nullopt;
  auto& p = *parts;
  auto subject = parse_subject_folder(p[0]);
  auto condition = parse_condition(DatasetLayout::casia_b, p[1]);
  auto sequence = parse_digits(p[2], 2);
  auto view = parse_view_folder(p[3]);
  auto frame = parse_digits(p[4], 3);
  if (!subject || !condition || !positive(sequence) || !view || !positive(frame)) return std::nullopt;
  return CasiaBFrameName{*subject, *condition, *sequence, *view, *frame};
}

std::optional<int> parse_tum_gaid_frame_name(std::string_view name) {
  auto stem = strip_png(name);
  if (!stem) return std::nullopt;
  auto frame = parse_digits(*stem, 3);
  return positive(frame) ? frame : std::nullopt;
}

DatasetLayout detect_layout(const std::filesystem::path& root) {
  for (const auto& subject : sorted_entries(root, "dataset")) {
    if (!subject.is_directory()) continue;
    for (const auto& sequence : sorted_entries(subject.path(), "subject")) {
      const std::string name = sequence.path().filename().string();
      for (DatasetLayout layout : {DatasetLayout::casia_b, DatasetLayout::tum_gaid})
        if (parse_sequence_folder(layout, name)) return layout;
      bad_entry(sequence.path(), "neither a CASIA-B nor a TUM-GAID sequence folder", "names like nm-01 or n-01");
    }
  }
  fail("dataset {} has no subject folder with sequences (like 001/nm-01 or 001/n-01)", root.string());
}

}  // namespace stride::data
