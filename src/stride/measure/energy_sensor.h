#pragma once
// One source of power readings (RAPL, hwmon, NVML, Jetson rails): a few named channels (domains,
// rails, devices) read either as cumulative energy counters or as instantaneous power. The meter
// (energy_meter.h) turns readings into the energy of timed windows; sensors know only their files.
#include <memory>
#include <string>
#include <vector>

namespace stride {

struct EnergyChannel {
  std::string name;      // "package-0", "dram", "GPU", "nvml:0"
  bool in_total = true;  // false where another channel already includes it (a board's input rail)
};

class EnergySensor {
 public:
  enum class Kind {
    counter,  // read() returns joules since an arbitrary origin, never decreasing (wrap-around undone)
    power,    // read() returns watts at the moment of reading
  };
  virtual ~EnergySensor() = default;
  virtual Kind kind() const = 0;
  // What is measured and where, e.g. "rapl (package-0, dram) in /sys/class/powercap".
  virtual std::string description() const = 0;
  virtual const std::vector<EnergyChannel>& channels() const = 0;
  // One value per channel; throws stride::Error naming the file or call that failed.
  virtual std::vector<double> read() = 0;
  // Counters only: the shortest interval over which a difference of two readings is a meaningful
  // power (counters update in steps; RAPL about every millisecond). Peak power is taken over it.
  virtual double counter_resolution_s() const { return 0.01; }
};

// A sensor, or why there is none (no such files, no permission, no library).
struct SensorProbe {
  std::unique_ptr<EnergySensor> sensor;
  std::string reason;  // set when sensor is null
};

// The sensor once a first reading succeeded (it proves the files hold numbers and sets the
// counters' origins), or that reading's error as the reason.
SensorProbe after_first_reading(std::unique_ptr<EnergySensor> sensor);

// "package-0, dram-0": the channels' names for a description.
std::string channel_list(const std::vector<EnergyChannel>& channels);

}  // namespace stride
