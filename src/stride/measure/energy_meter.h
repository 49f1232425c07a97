#pragma once
// Energy over exactly the timed windows of a run. begin() and end() bracket each timed run; the
// energy of a tally (one backend, say) is the sum over its windows:
// - counters (RAPL, hwmon energy, NVML energy) are read at each window's two ends;
// - power readings (hwmon power, Jetson rails, NVML power) are sampled by a thread at up to
//   500 Hz and integrated (trapezoids) from the window's start to its end, the partial sampling
//   intervals at both ends interpolated;
// - an external power log is integrated the same way over the windows, on the wall clock.
// Peak power is the highest sample in the windows (counters: the highest mean power over one
// counter_resolution_s() between the sampler's readings). An idle baseline, when measured, is
// subtracted as idle watts × window time. Nothing is ever estimated: without readings the result
// carries the reason instead of a number.
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "stride/measure/energy_sensor.h"
#include "stride/measure/power_trace.h"

namespace stride {

struct EnergyResult {
  std::string reason;  // why there is no figure; empty when measured
  std::string meter;   // what measured it
  int windows = 0;
  double seconds = 0;       // total time inside the windows
  double joules = 0;        // less the idle baseline when one was measured
  double gross_joules = 0;  // as measured
  std::optional<double> idle_watts;
  std::optional<double> peak_watts;
  std::vector<std::pair<std::string, double>> channel_joules;  // gross, per domain or rail
  bool measured() const { return reason.empty(); }
};

class EnergyMeter {
 public:
  using Clock = std::function<double()>;  // seconds
  static Clock steady_clock();
  static Clock wall_clock();  // seconds since the Unix epoch, as power logs are stamped

  // No meter: every result says why.
  explicit EnergyMeter(std::string reason);
  // A live sensor; clock defaults to the steady clock (tests give their own).
  explicit EnergyMeter(std::unique_ptr<EnergySensor> sensor, Clock clock = {});
  // A power log read when results are asked for; clock is the one its timestamps use
  // (wall_clock() for logs of epoch seconds).
  EnergyMeter(std::filesystem::path power_log, Clock clock);
  ~EnergyMeter();
  EnergyMeter(const EnergyMeter&) = delete;
  EnergyMeter& operator=(const EnergyMeter&) = delete;

  bool available() const { return reason_.empty(); }
  const std::string& reason() const { return reason_; }
  std::string description() const;
  // Whether power must be sampled for the windows to be integrated (sensors of kind power).
  bool needs_sampler() const;

  // A thread calling sample() rate_hz times a second (at most 500) until stop_sampler().
  void start_sampler(double rate_hz = 500);
  void stop_sampler();
  // One reading at clock(): a power sample, or a counter reading for peak power.
  void sample();

  void begin();
  void end(size_t tally);
  // The idle baseline's window; measure_idle() holds it open for seconds, sampling meanwhile.
  void begin_idle();
  void end_idle();
  void measure_idle(double seconds);

  // The energy of a tally, or the reason there is none; throws stride::Error with that reason for
  // a meter the user named (require()).
  EnergyResult result(size_t tally);
  // The user named this meter (--energy rapl, file:LOG.csv): a result it cannot give is a failure,
  // not an "n/a" (only --energy auto falls back silently).
  void require() { required_ = true; }
  // Forgets the windows and the readings before now (between batches), keeping the baseline.
  void clear();

 private:
  EnergyResult measure(size_t tally);
  struct Window {
    double t0 = 0, t1 = 0;
    std::vector<double> e0, e1;  // counters at both ends
  };
  struct Tally {
    size_t id = 0;
    std::vector<Window> windows;
  };
  struct CounterMark {
    double t = 0, joules = 0;
  };
  bool counting() const;
  // Counter readings at a window's end (empty for power sensors); failures are kept in error_.
  std::vector<double> read_counters();
  // A window's start (time, counters) and its end (counters, time): the counters are read inside.
  Window opening();
  Window closing();
  void sampler_loop(double period_s);
  // Joules of a window per channel, or nullopt when the power readings do not cover it.
  std::optional<std::vector<double>> channel_energy(const Window& w, const std::vector<PowerTrace>& traces) const;
  double total(const std::vector<double>& per_channel) const;
  std::optional<double> peak(const Window& w, const PowerTrace& total_trace) const;

  std::string reason_;
  bool required_ = false;
  std::unique_ptr<EnergySensor> sensor_;
  std::filesystem::path log_;
  Clock clock_;

  std::vector<EnergyChannel> channels_;

  std::mutex sensor_mutex_;  // one reading at a time (counters keep their wrap-around state)
  std::mutex mutex_;         // everything below
  std::string error_;        // the first failed reading: it makes every later result n/a
  std::optional<Window> open_;
  std::vector<Tally> tallies_;
  std::optional<Window> idle_;
  std::optional<double> idle_watts_;
  std::vector<PowerTrace> channel_traces_;  // power sensors
  PowerTrace total_trace_;                  // power sensors: the sum of the channels in the total
  std::vector<CounterMark> counter_marks_;  // counters: total joules, readings at least a resolution apart

  std::thread sampler_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace stride
