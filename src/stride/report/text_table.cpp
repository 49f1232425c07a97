#include "stride/report/text_table.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "stride/core/error.h"

namespace stride {
namespace {

// Columns on a terminal: UTF-8 code points, not bytes, so that cells with "–", "→" or "·" line up.
size_t display_width(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
}

}  // namespace

void TextTable::add_row(std::vector<std::string> cells) {
  if (cells.size() != columns_.size()) fail("table row has {} cells for {} columns", cells.size(), columns_.size());
  rows_.push_back(std::move(cells));
}

void TextTable::add_separator() { rows_.emplace_back(); }

std::string TextTable::render() const {
  std::vector<size_t> width(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    width[c] = display_width(columns_[c].title);
    for (const auto& row : rows_)
      if (!row.empty()) width[c] = std::max(width[c], display_width(row[c]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c) out += "  ";
      const size_t pad = width[c] - display_width(cells[c]);
      if (columns_[c].align == Align::right) out += std::string(pad, ' ') + cells[c];
      else out += cells[c] + (c + 1 < cells.size() ? std::string(pad, ' ') : "");
    }
    return out + "\n";
  };
  size_t total = 0;
  for (size_t w : width) total += w;
  total += 2 * (width.empty() ? 0 : width.size() - 1);
  const std::string rule(total, '-');
  std::vector<std::string> titles;
  for (const auto& c : columns_) titles.push_back(c.title);
  std::string out = line(titles) + rule + "\n";
  for (const auto& row : rows_) out += row.empty() ? rule + "\n" : line(row);
  return out;
}

std::string TextTable::render_markdown() const {
  auto line = [](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const auto& c : cells) out += " " + c + " |";
    return out + "\n";
  };
  std::vector<std::string> titles, rules;
  for (const auto& c : columns_) {
    titles.push_back(c.title);
    rules.push_back(c.align == Align::right ? "---:" : "---");
  }
  std::string out = line(titles) + line(rules);
  for (const auto& row : rows_)
    if (!row.empty()) out += line(row);
  return out;
}

std::string with_thousands(int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string with_si_prefix(double value) {
  static const char* prefixes[] = {"", "k", "M", "G", "T"};
  size_t i = 0;
  while (std::abs(value) >= 1000.0 && i + 1 < std::size(prefixes)) {
    value /= 1000.0;
    ++i;
  }
  return fmt::format("{:.2f} {}", value, prefixes[i]);
}

}  // namespace stride
