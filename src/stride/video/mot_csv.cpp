#include "stride/video/mot_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"

namespace stride::video {
namespace {

double parse_number(std::string_view field, const std::filesystem::path& path, int line) {
  while (!field.empty() && field.front() == ' ') field.remove_prefix(1);
  while (!field.empty() && (field.back() == ' ' || field.back() == '\r')) field.remove_suffix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size() || !std::isfinite(value))
    fail("{}:{}: '{}' is not a number (MOTChallenge rows are frame,id,x,y,w,h,conf,...)", path.string(), line, field);
  return value;
}

}  // namespace

double iou(const Box& a, const Box& b) {
  const double w = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  const double h = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const double inter = w * h;
  return inter / (a.area() + b.area() - inter);
}

std::string mot_csv_text(const std::vector<MotRow>& rows) {
  std::string text;
  for (const MotRow& r : rows)
    text += fmt::format("{},{},{:.2f},{:.2f},{:.2f},{:.2f},{:.3f},-1,-1,-1\n", r.frame, r.id, r.box.x, r.box.y, r.box.w,
                        r.box.h, r.conf);
  return text;
}

void write_mot_csv(const std::filesystem::path& path, const std::vector<MotRow>& rows) {
  write_file_atomically(path, mot_csv_text(rows));
}

std::vector<MotRow> read_mot_csv(const std::filesystem::path& path) {
  std::istringstream in(read_file(path));
  std::vector<MotRow> rows;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \r\t") == std::string::npos) continue;
    std::vector<double> fields;
    std::string_view rest = line;
    while (true) {
      const size_t comma = rest.find(',');
      fields.push_back(parse_number(rest.substr(0, comma), path, number));
      if (comma == std::string_view::npos || fields.size() == 7) break;
      rest.remove_prefix(comma + 1);
    }
    if (fields.size() < 6)
      fail("{}:{}: {} fields; a MOTChallenge row has at least frame,id,x,y,w,h", path.string(), number, fields.size());
    MotRow row{static_cast<int64_t>(fields[0]), static_cast<int64_t>(fields[1]), {fields[2], fields[3], fields[4], fields[5]},
               fields.size() > 6 ? fields[6] : 1.0};
    if (row.frame < 1 || fields[0] != std::floor(fields[0]))
      fail("{}:{}: frame {}; frames are whole numbers counted from 1", path.string(), number, fields[0]);
    if (row.box.w < 0 || row.box.h < 0) fail("{}:{}: a box of negative size", path.string(), number);
    rows.push_back(row);
  }
  return rows;
}

}  // namespace stride::video
