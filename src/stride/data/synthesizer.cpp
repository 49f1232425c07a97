#include "stride/data/synthesizer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "stride/core/atomic_file.h"
#include "stride/core/cpu_count.h"
#include "stride/core/error.h"
#include "stride/data/image_file.h"
#include "stride/data/layout.h"
#include "stride/data/recording.h"

namespace stride::data {
namespace fs = std::filesystem;
namespace {

std::vector<RecordingId> all_recordings(const SynthConfig& c) {
  std::vector<RecordingId> ids;
  for (int subject = 1; subject <= c.subjects; ++subject)
    for (const SequenceSpec& s : c.sequences)
      for (int view : c.views) ids.push_back({subject, s.condition, s.number, view});
  return ids;
}

fs::path recording_folder(const SynthConfig& c, const fs::path& root, const RecordingId& id) {
  fs::path folder = root / subject_folder(id.subject) / sequence_folder(c.layout, id.condition, id.sequence);
  return c.layout == DatasetLayout::casia_b ? folder / view_folder(id.view) : folder;
}

void write_recording(const SynthConfig& c, uint64_t seed, const fs::path& root, const RecordingId& id) {
  const fs::path folder = recording_folder(c, root, id);
  if (c.layout == DatasetLayout::casia_b) {
    const std::vector<cv::Mat> frames = render_silhouettes(c, seed, id);
    for (size_t f = 0; f < frames.size(); ++f) {
      const int number = static_cast<int>(f) + 1;
      write_png(folder / casia_b_frame_name(id.subject, id.condition, id.sequence, id.view, number), frames[f]);
    }
  } else {
    const std::vector<cv::Mat> frames = render_grey_frames(c, seed, id);
    for (size_t f = 0; f < frames.size(); ++f)
      write_png(folder / tum_gaid_frame_name(static_cast<int>(f) + 1), frames[f]);
  }
}

// `state` is "writing" while frames are being written and "complete" once all are: a manifest still
// saying "writing" marks a generation that was cut short (even by SIGKILL), which loaders refuse.
std::string manifest(const SynthConfig& c, uint64_t seed, const char* state) {
  std::vector<std::string> sequences, views;
  for (const SequenceSpec& s : c.sequences) sequences.push_back(sequence_folder(c.layout, s.condition, s.number));
  for (int v : c.views) views.push_back(view_folder(v));
  return fmt::format(
      "generator: stride procedural gait walker\npreset: {}\nlayout: {}\nseed: {}\nsubjects: {}\nsequences: {}\n"
      "views: {}\nframes: {}\nsize: {}x{}\nfps: {}\nstate: {}\n",
      c.preset, layout_name(c.layout), seed, c.subjects, fmt::join(sequences, " "), fmt::join(views, " "), c.frames,
      c.studio.width, c.studio.height, c.studio.fps, state);
}

// Runs work(i) for i in [0, count) on `threads` threads and reports each completion on the calling
// thread. The first exception (from the work or from `progress`) stops the remaining work and is
// rethrown.
template <typename Work>
void run_parallel(size_t count, unsigned threads, Work&& work, const SynthProgress& progress) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::condition_variable changed;
  size_t finished = 0, running = threads;
  std::exception_ptr error;
  auto worker = [&] {
    for (size_t i; !failed && (i = next++) < count;) {
      try {
        work(i);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
      std::lock_guard lock(mutex);
      ++finished;
      changed.notify_one();
    }
    std::lock_guard lock(mutex);
    --running;
    changed.notify_one();
  };
  std::vector<std::jthread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  size_t reported = 0;
  std::unique_lock lock(mutex);
  while (running > 0) {
    changed.wait(lock, [&] { return finished != reported || running == 0; });
    if (finished != reported && !error && progress) {
      reported = finished;
      lock.unlock();
      try {
        progress(reported, count);
      } catch (...) {
        failed = true;  // stop the workers before rethrowing
        lock.lock();
        if (!error) error = std::current_exception();
        continue;
      }
      lock.lock();
    }
    reported = finished;
  }
  lock.unlock();
  pool.clear();
  if (error) std::rethrow_exception(error);
}

}  // namespace

void prepare_output_folder(const fs::path& out) {
  std::error_code error;
  if (fs::exists(out, error)) {
    if (!fs::is_directory(out, error)) fail("output {} exists and is not a folder", out.string());
    if (!fs::is_empty(out, error))
      fail("output folder {} is not empty: choose a new folder or delete it", out.string());
  }
  fs::create_directories(out, error);
  if (error) fail("cannot create output folder {}: {}", out.string(), error.message());
}

size_t synthesize(const SynthConfig& config, uint64_t seed, const fs::path& out, const SynthProgress& progress) {
  check_config(config);
  prepare_output_folder(out);
  const std::vector<RecordingId> ids = all_recordings(config);
  write_file_atomically(out / kSynthManifest, manifest(config, seed, "writing"));
  // Folders are made up front, on one thread, so workers only ever create files.
  for (const RecordingId& id : ids) {
    std::error_code error;
    const fs::path folder = recording_folder(config, out, id);
    fs::create_directories(folder, error);
    if (error) fail("cannot create folder {}: {}", folder.string(), error.message());
  }
  const unsigned threads =
      std::clamp<unsigned>(config.threads > 0 ? config.threads : static_cast<unsigned>(usable_cores()), 1,
                           static_cast<unsigned>(ids.size()));
  run_parallel(
      ids.size(), threads, [&](size_t i) { write_recording(config, seed, out, ids[i]); }, progress);
  write_file_atomically(out / kSynthManifest, manifest(config, seed, "complete"));
  return ids.size();
}

}  // namespace stride::data
