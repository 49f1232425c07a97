#include "stride/measure/energy_meter.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "stride/core/error.h"
#include "stride/measure/power_log.h"

namespace stride {
namespace {

template <typename C>
double seconds_now() {
  return std::chrono::duration<double>(C::now().time_since_epoch()).count();
}

}  // namespace

EnergyMeter::Clock EnergyMeter::steady_clock() { return seconds_now<std::chrono::steady_clock>; }
EnergyMeter::Clock EnergyMeter::wall_clock() { return seconds_now<std::chrono::system_clock>; }

EnergyMeter::EnergyMeter(std::string reason) : reason_(std::move(reason)) {}

EnergyMeter::EnergyMeter(std::unique_ptr<EnergySensor> sensor, Clock clock)
    : sensor_(std::move(sensor)), clock_(clock ? std::move(clock) : steady_clock()) {
  channels_ = sensor_->channels();
  channel_traces_.resize(channels_.size());
}

EnergyMeter::EnergyMeter(std::filesystem::path power_log, Clock clock)
    : log_(std::move(power_log)), clock_(std::move(clock)) {
  channels_ = {{"log", true}};
}

EnergyMeter::~EnergyMeter() { stop_sampler(); }

std::string EnergyMeter::description() const {
  if (sensor_) return sensor_->description();
  if (!log_.empty()) return "power log " + log_.string();
  return "none";
}

bool EnergyMeter::counting() const { return sensor_ && sensor_->kind() == EnergySensor::Kind::counter; }
bool EnergyMeter::needs_sampler() const { return sensor_ && sensor_->kind() == EnergySensor::Kind::power; }

void EnergyMeter::start_sampler(double rate_hz) {
  if (!sensor_ || sampler_.joinable()) return;
  const double rate = std::clamp(rate_hz, 1.0, 500.0);  // the paper's rate; faster only costs CPU
  stopping_ = false;
  sample();  // the first reading before any window opens
  sampler_ = std::thread([this, rate] { sampler_loop(1.0 / rate); });
}

void EnergyMeter::stop_sampler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (sampler_.joinable()) sampler_.join();
}

void EnergyMeter::sampler_loop(double period_s) {
  using namespace std::chrono;
  auto next = steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    sample();
    lock.lock();
    next = std::max(next + duration_cast<steady_clock::duration>(duration<double>(period_s)), steady_clock::now());
    wake_.wait_until(lock, next, [this] { return stopping_; });
  }
}

void EnergyMeter::sample() {
  if (!sensor_) return;
  std::vector<double> values;
  double t = 0;
  try {
    std::lock_guard read_lock(sensor_mutex_);
    const double before = clock_();
    values = sensor_->read();
    t = (before + clock_()) / 2;  // a slow read (NVML) is stamped at its middle
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    if (error_.empty()) error_ = e.what();
    return;
  }
  std::lock_guard lock(mutex_);
  if (counting()) {
    if (counter_marks_.empty() || t - counter_marks_.back().t >= sensor_->counter_resolution_s())
      counter_marks_.push_back({t, total(values)});
    return;
  }
  // Stamps from two readers can only be out of order by less than one read; keep the trace sorted.
  if (!total_trace_.empty() && t < total_trace_.samples().back().t) return;
  for (size_t c = 0; c < values.size(); ++c) channel_traces_[c].add(t, values[c]);
  total_trace_.add(t, total(values));
}

std::vector<double> EnergyMeter::read_counters() {
  if (!counting()) return {};
  try {
    std::lock_guard read_lock(sensor_mutex_);
    return sensor_->read();
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    if (error_.empty()) error_ = e.what();
    return std::vector<double>(channels_.size(), 0.0);
  }
}

EnergyMeter::Window EnergyMeter::opening() {
  Window w;
  w.t0 = clock_();
  w.e0 = read_counters();
  return w;
}

EnergyMeter::Window EnergyMeter::closing() {
  Window w;
  w.e1 = read_counters();
  w.t1 = clock_();
  return w;
}

void EnergyMeter::begin() {
  if (!available()) return;
  Window w = opening();
  std::lock_guard lock(mutex_);
  open_ = std::move(w);
}

void EnergyMeter::end(size_t tally) {
  if (!available()) return;
  Window w = closing();
  std::lock_guard lock(mutex_);
  if (!open_) return;
  open_->t1 = w.t1;
  open_->e1 = std::move(w.e1);
  auto it = std::find_if(tallies_.begin(), tallies_.end(), [&](const Tally& t) { return t.id == tally; });
  if (it == tallies_.end()) it = tallies_.insert(tallies_.end(), Tally{tally, {}});
  it->windows.push_back(std::move(*open_));
  open_.reset();
}

void EnergyMeter::begin_idle() {
  if (!available()) return;
  Window w = opening();
  std::lock_guard lock(mutex_);
  idle_ = std::move(w);
  idle_watts_.reset();
}

void EnergyMeter::end_idle() {
  if (!available()) return;
  Window w = closing();
  std::lock_guard lock(mutex_);
  if (!idle_) return;
  idle_->t1 = w.t1;
  idle_->e1 = std::move(w.e1);
}

void EnergyMeter::measure_idle(double seconds) {
  begin_idle();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  end_idle();
}

double EnergyMeter::total(const std::vector<double>& per_channel) const {
  double sum = 0;
  for (size_t c = 0; c < per_channel.size(); ++c)
    if (channels_[c].in_total) sum += per_channel[c];
  return sum;
}

std::optional<std::vector<double>> EnergyMeter::channel_energy(const Window& w,
                                                               const std::vector<PowerTrace>& traces) const {
  std::vector<double> joules;
  if (counting()) {
    for (size_t c = 0; c < w.e0.size(); ++c) joules.push_back(w.e1[c] - w.e0[c]);
    return joules;
  }
  for (const PowerTrace& trace : traces) {
    if (!trace.covers(w.t0, w.t1)) return std::nullopt;
    joules.push_back(trace.energy(w.t0, w.t1));
  }
  return joules;
}

std::optional<double> EnergyMeter::peak(const Window& w, const PowerTrace& total_trace) const {
  if (!counting()) return total_trace.peak(w.t0, w.t1);
  // The mean power of every interval between two counter readings that overlaps the window.
  std::optional<double> best;
  for (size_t i = 1; i < counter_marks_.size(); ++i) {
    const CounterMark &a = counter_marks_[i - 1], &b = counter_marks_[i];
    if (a.t < w.t1 && b.t > w.t0) best = std::max(best.value_or(0.0), (b.joules - a.joules) / (b.t - a.t));
  }
  return best;
}

EnergyResult EnergyMeter::result(size_t tally) {
  EnergyResult r = measure(tally);
  if (!r.measured() && required_) fail("energy meter {}: {}", r.meter, r.reason);
  return r;
}

EnergyResult EnergyMeter::measure(size_t tally) {
  EnergyResult r;
  r.meter = description();
  if (!available()) {
    r.reason = reason_;
    return r;
  }
  // The power curve to integrate: the sampler's, closed by one more reading after the last window,
  // or the log's, read now (it may have been written during the run).
  std::vector<PowerTrace> log_trace;
  if (needs_sampler()) sample();
  if (!log_.empty()) {
    try {
      log_trace.push_back(read_power_log(log_));
    } catch (const std::exception& e) {
      r.reason = e.what();
      return r;
    }
  }
  std::lock_guard lock(mutex_);
  const std::vector<PowerTrace>& traces = log_.empty() ? channel_traces_ : log_trace;
  const PowerTrace& total_trace = log_.empty() ? total_trace_ : log_trace.front();
  if (!error_.empty()) {
    r.reason = error_;
    return r;
  }
  auto it = std::find_if(tallies_.begin(), tallies_.end(), [&](const Tally& t) { return t.id == tally; });
  if (it == tallies_.end() || it->windows.empty()) {
    r.reason = "no timed window was measured";
    return r;
  }
  if (idle_ && !idle_watts_ && idle_->t1 > idle_->t0) {
    const auto idle = channel_energy(*idle_, traces);
    if (!idle) {
      r.reason = fmt::format("the {} does not cover the idle baseline's window", log_.empty() ? "sampling" : "log");
      return r;
    }
    idle_watts_ = total(*idle) / (idle_->t1 - idle_->t0);
  }
  r.channel_joules.resize(channels_.size());
  for (size_t c = 0; c < channels_.size(); ++c) r.channel_joules[c].first = channels_[c].name;
  for (const Window& w : it->windows) {
    const auto joules = channel_energy(w, traces);
    if (!joules) {
      const auto& s = total_trace.samples();
      r.reason = s.empty() ? std::string("no power sample was taken (the sampler did not run)")
                           : fmt::format("the {} ({:.3f} to {:.3f} s) does not cover the window {:.3f} to {:.3f} s",
                                         log_.empty() ? "sampling" : "log", s.front().t, s.back().t, w.t0, w.t1);
      return r;
    }
    for (size_t c = 0; c < joules->size(); ++c) r.channel_joules[c].second += (*joules)[c];
    r.gross_joules += total(*joules);
    r.seconds += w.t1 - w.t0;
    if (const auto p = peak(w, total_trace)) r.peak_watts = std::max(r.peak_watts.value_or(*p), *p);
  }
  r.windows = static_cast<int>(it->windows.size());
  r.idle_watts = idle_watts_;
  r.joules = r.gross_joules - idle_watts_.value_or(0.0) * r.seconds;
  return r;
}

void EnergyMeter::clear() {
  if (!available()) return;
  const double now = clock_();
  std::lock_guard lock(mutex_);
  tallies_.clear();
  // An idle window not yet integrated keeps its readings.
  const double keep_from = idle_ && !idle_watts_ ? std::min(now, idle_->t0) : now;
  for (PowerTrace& t : channel_traces_) t.discard_before(keep_from);
  total_trace_.discard_before(keep_from);
  const auto first_kept =
      std::find_if(counter_marks_.begin(), counter_marks_.end(), [&](const CounterMark& m) { return m.t > keep_from; });
  if (first_kept != counter_marks_.begin()) counter_marks_.erase(counter_marks_.begin(), first_kept - 1);
}

}  // namespace stride
