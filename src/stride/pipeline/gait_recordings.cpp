#include "stride/pipeline/gait_recordings.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include "stride/core/cpu_count.h"
#include "stride/core/error.h"
#include "stride/data/layout.h"
#include "stride/data/optical_flow.h"
#include "stride/data/silhouette_align.h"
#include "stride/eval/gait_protocol.h"

namespace stride::pipeline {

namespace fs = std::filesystem;

GaitRecordings GaitRecordings::open(const fs::path& root, const ModelInput& input) {
  GaitRecordings r;
  r.input_ = input;
  r.layout_ = data::detect_layout(root);
  const bool casia_b = input.kind != InputKind::optical_flow;  // silhouettes and their energy images
  if (casia_b != (r.layout_ == data::DatasetLayout::casia_b))
    fail("{}: a {} dataset, but the model takes {} ({} holds them)", root.string(), data::layout_name(r.layout_),
         input.kind == InputKind::silhouettes   ? "silhouettes"
         : input.kind == InputKind::gait_energy ? "gait energy images"
                                                : "optical flow",
         casia_b ? "CASIA-B" : "TUM-GAID");
  if (casia_b) {
    if (input.kind == InputKind::silhouettes &&
        (input.height != data::kAlignedHeight || input.width != data::kAlignedWidth))
      fail("the model takes {}x{} silhouettes; the CASIA-B loader makes {}x{}", input.height, input.width,
           data::kAlignedHeight, data::kAlignedWidth);
    r.casia_b_ = data::CasiaBIndex::scan(root).sequences();
    for (const auto& s : r.casia_b_)
      r.samples_.push_back({s.subject, std::string(data::condition_code(r.layout_, s.condition)), s.sequence, s.view});
  } else {
    if (input.height != input.width)
      fail("the model takes {}x{} flow; the flow loader makes square crops", input.height, input.width);
    r.tum_gaid_ = data::TumGaidIndex::scan(root).sequences();
    for (const auto& s : r.tum_gaid_)
      r.samples_.push_back({s.subject, std::string(data::condition_code(r.layout_, s.condition)), s.sequence, 0});
  }
  if (r.samples_.empty()) fail("{}: the dataset has no recordings", root.string());
  return r;
}

std::vector<int> GaitRecordings::subjects() const {
  std::set<int> ids;
  for (const auto& s : samples_) ids.insert(s.subject);
  return {ids.begin(), ids.end()};
}

eval::SubjectSplit GaitRecordings::split() const {
  const std::vector<int> ids = subjects();
  if (layout_ == data::DatasetLayout::tum_gaid) return eval::tum_gaid_split(ids);
  // CASIA-B trains on 74 of its 124 subjects; a smaller set keeps the proportion.
  constexpr double kTrainShare = 74.0 / 124.0;
  const auto train = static_cast<int>(std::lround(ids.size() * kTrainShare));
  return eval::casia_b_split(ids, std::min(train, static_cast<int>(ids.size()) - 1));
}

std::vector<size_t> GaitRecordings::rows_of(std::span<const int> subjects, bool gallery_only) const {
  const std::set<int> wanted(subjects.begin(), subjects.end());
  const eval::GaitProtocol& protocol =
      layout_ == data::DatasetLayout::casia_b ? eval::casia_b_protocol() : eval::tum_gaid_protocol();
  std::vector<size_t> rows;
  for (size_t i = 0; i < samples_.size(); ++i)
    if (wanted.count(samples_[i].subject) && (!gallery_only || protocol.gallery.contains(samples_[i])))
      rows.push_back(i);
  return rows;
}

Tensor GaitRecordings::load_one(size_t row) const {
  if (input_.kind == InputKind::silhouettes) {
    const data::CasiaBSequence& s = casia_b_[row];
    const std::vector<cv::Mat> aligned = data::align_silhouettes(data::read_silhouettes(s));
    if (aligned.empty()) fail("{}: every frame is empty; expected a visible walker", s.folder.string());
    return data::silhouette_clip(aligned, static_cast<int>(aligned.size()), 0);
  }
  if (input_.kind == InputKind::gait_energy) {
    const Tensor gei =
        data::load_gait_energy_input(casia_b_[row], static_cast<int>(input_.height), static_cast<int>(input_.width));
    return gei.reshaped({1, input_.height, input_.width});
  }
  return data::load_flow_sequence(tum_gaid_[row], static_cast<int>(input_.height));
}

std::vector<Tensor> GaitRecordings::load(std::span<const size_t> rows, int threads,
                                         const LoadProgress& progress) const {
  std::vector<Tensor> material(rows.size());
  std::atomic<size_t> next{0}, done{0};
  std::mutex report;
  std::exception_ptr failure;
  auto worker = [&] {
    for (size_t i = next++; i < rows.size(); i = next++) {
      try {
        material[i] = load_one(rows[i]);
      } catch (...) {
        std::lock_guard lock(report);
        if (!failure) failure = std::current_exception();
        next = rows.size();  // the others stop after their current recording
        return;
      }
      std::lock_guard lock(report);
      if (progress && !failure) progress(++done, rows.size());
    }
  };
  const unsigned count = threads > 0 ? static_cast<unsigned>(threads) : static_cast<unsigned>(usable_cores());
  std::vector<std::jthread> pool;
  for (unsigned t = 1; t < count; ++t) pool.emplace_back(worker);
  worker();
  pool.clear();  // joins
  if (failure) std::rethrow_exception(failure);
  return material;
}

namespace {

// The window moved by a random whole number of pixels, up to 1/15 of its side each way (4 of 60),
// zero flow filling what comes in. The crop's track follows the outline, so a bag on the back
// shifts the walker in the crop by a few pixels.
Tensor shifted_randomly(const Tensor& window, Random& random) {
  const int64_t h = window.dim(1), w = window.dim(2), reach = h / 15;
  const auto draw = [&] { return static_cast<int64_t>(random.next_u64() % (2 * reach + 1)) - reach; };
  const int64_t dy = draw(), dx = draw();
  Tensor out(DType::f32, window.shape());
  const float* in = window.data<float>();
  float* to = out.data<float>();
  for (int64_t c = 0; c < window.dim(0); ++c)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x) {
        const int64_t sy = y - dy, sx = x - dx;
        to[(c * h + y) * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? in[(c * h + sy) * w + sx] : 0.0f;
      }
  return out;
}

}  // namespace

int flow_windows_in(int64_t fields, const ModelInput& input) {
  return static_cast<int>(std::max<int64_t>(1, fields - input.frames + 1));
}

Tensor cut_sample(const Tensor& material, const ModelInput& input, Random* random, int flow_start) {
  if (material.numel() == 0) fail("a recording without loaded material");
  if (input.kind == InputKind::imu) return material;  // a sensor window is one sample as it is
  if (input.kind == InputKind::gait_energy) return material;  // one GEI per recording
  if (input.kind == InputKind::optical_flow) {
    if (!random) return data::flow_window(material, static_cast<int>(input.frames), flow_start);
    const int windows = flow_windows_in(material.dim(0) / 2, input);
    const int start = static_cast<int>(random->next_u64() % static_cast<uint64_t>(windows));
    return shifted_randomly(data::flow_window(material, static_cast<int>(input.frames), start), *random);
  }
  const Tensor& clip = material;
  const int64_t available = clip.dim(0), plane = clip.dim(1) * clip.dim(2);
  std::vector<int64_t> picked(static_cast<size_t>(input.frames));
  if (!random) {
    for (int64_t i = 0; i < input.frames; ++i) picked[i] = i % available;
  } else if (available >= input.frames) {
    // A random subset in frame order (partial Fisher-Yates), as GaitSet samples a set.
    std::vector<int64_t> order(static_cast<size_t>(available));
    for (int64_t i = 0; i < available; ++i) order[i] = i;
    for (int64_t i = 0; i < input.frames; ++i)
      std::swap(order[i], order[i + static_cast<int64_t>(random->next_u64() % (available - i))]);
    std::copy_n(order.begin(), input.frames, picked.begin());
    std::sort(picked.begin(), picked.end());
  } else {
    for (auto& p : picked) p = static_cast<int64_t>(random->next_u64() % available);
  }
  Tensor sample(DType::f32, {input.frames, clip.dim(1), clip.dim(2)});
  const float* from = clip.data<float>();
  float* to = sample.data<float>();
  for (size_t i = 0; i < picked.size(); ++i) std::copy_n(from + picked[i] * plane, plane, to + i * plane);
  return sample;
}

}  // namespace stride::pipeline
