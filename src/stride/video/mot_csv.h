#pragma once
// Tracks and ground truth in the MOTChallenge CSV format, so that the community's tools read them:
// one row per box, `frame,id,x,y,w,h,conf,-1,-1,-1`, frames counted from 1, boxes in pixels from
// the image's top-left corner.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace stride::video {

struct Box {
  double x = 0, y = 0, w = 0, h = 0;
  double area() const { return w * h; }
};

// Intersection over union of two boxes, 0 when either is empty.
double iou(const Box& a, const Box& b);

struct MotRow {
  int64_t frame = 0;  // from 1
  int64_t id = 0;
  Box box;
  double conf = 1;
};

// The CSV text of `rows`, in the given order.
std::string mot_csv_text(const std::vector<MotRow>& rows);
// Writes the file atomically; throws stride::Error naming it when it cannot.
void write_mot_csv(const std::filesystem::path& path, const std::vector<MotRow>& rows);
// Reads a MOTChallenge CSV (extra columns ignored, blank lines skipped); throws stride::Error naming
// the file and line of a malformed row (fewer than 6 fields, a non-number, frame < 1, a negative size).
std::vector<MotRow> read_mot_csv(const std::filesystem::path& path);

}  // namespace stride::video
