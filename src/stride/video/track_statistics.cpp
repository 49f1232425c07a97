#include "stride/video/track_statistics.h"

#include <map>

#include "stride/measure/latency_stats.h"

namespace stride::video {
namespace {

constexpr double kEdgeShare = 0.05;
constexpr int64_t kEdgeFrames = 5;

bool near_edge(const Box& b, cv::Size size) {
  const double mx = kEdgeShare * size.width, my = kEdgeShare * size.height;
  return b.x < mx || b.y < my || b.x + b.w > size.width - mx || b.y + b.h > size.height - my;
}

}  // namespace

TrackStatistics track_statistics(const std::vector<MotRow>& rows, int64_t frames, cv::Size size) {
  struct Span {
    const MotRow* first = nullptr;
    const MotRow* last = nullptr;
    int64_t count = 0;
  };
  std::map<int64_t, Span> spans;
  for (const MotRow& r : rows) {
    Span& s = spans[r.id];
    if (!s.first || r.frame < s.first->frame) s.first = &r;
    if (!s.last || r.frame > s.last->frame) s.last = &r;
    ++s.count;
  }
  TrackStatistics t;
  t.tracks = static_cast<int64_t>(spans.size());
  std::vector<double> lengths;
  for (const auto& [id, s] : spans) {
    lengths.push_back(static_cast<double>(s.count));
    t.long_tracks += s.count >= kLongTrackFrames;
    t.started_inside += s.first->frame > kEdgeFrames && !near_edge(s.first->box, size);
    t.ended_inside += s.last->frame <= frames - kEdgeFrames && !near_edge(s.last->box, size);
  }
  if (!lengths.empty()) t.median_frames = percentile(lengths, 50);
  return t;
}

}  // namespace stride::video
