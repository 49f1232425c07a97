#include "stride/measure/nvml_sensor.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include "stride/core/error.h"

namespace stride {
namespace {

// The few NVML declarations used, as nvml.h has them (the ABI is stable: these are the _v2 entry points).
using nvmlReturn_t = int;
using nvmlDevice_t = struct nvmlDevice_st*;
constexpr nvmlReturn_t NVML_SUCCESS = 0;

struct Nvml {
  void* handle = nullptr;
  nvmlReturn_t (*init)() = nullptr;
  nvmlReturn_t (*shutdown)() = nullptr;
  nvmlReturn_t (*device_count)(unsigned*) = nullptr;
  nvmlReturn_t (*device_by_index)(unsigned, nvmlDevice_t*) = nullptr;
  nvmlReturn_t (*total_energy)(nvmlDevice_t, unsigned long long*) = nullptr;  // mJ
  nvmlReturn_t (*power_usage)(nvmlDevice_t, unsigned*) = nullptr;             // mW
  const char* (*error_string)(nvmlReturn_t) = nullptr;

  std::string why(nvmlReturn_t r) const { return error_string ? error_string(r) : fmt::format("NVML error {}", r); }
};

template <typename F>
bool bind(void* handle, const char* name, F& f) {
  f = reinterpret_cast<F>(dlsym(handle, name));
  return f != nullptr;
}

class NvmlSensor : public EnergySensor {
 public:
  NvmlSensor(Nvml nvml, std::vector<nvmlDevice_t> devices, Kind kind)
      : nvml_(nvml), devices_(std::move(devices)), kind_(kind) {
    for (size_t i = 0; i < devices_.size(); ++i) channels_.push_back({fmt::format("gpu{}", i), true});
  }
  ~NvmlSensor() override {
    nvml_.shutdown();
    dlclose(nvml_.handle);
  }
  Kind kind() const override { return kind_; }
  std::string description() const override {
    return fmt::format("nvml {} of {} GPU{}", kind_ == Kind::counter ? "energy counter" : "power samples",
                       devices_.size(), devices_.size() == 1 ? "" : "s");
  }
  const std::vector<EnergyChannel>& channels() const override { return channels_; }
  // The driver refreshes the counter about every 20-100 ms depending on the GPU.
  double counter_resolution_s() const override { return 0.1; }
  std::vector<double> read() override {
    std::vector<double> values;
    for (size_t i = 0; i < devices_.size(); ++i) {
      if (kind_ == Kind::counter) {
        unsigned long long mj = 0;
        if (const auto r = nvml_.total_energy(devices_[i], &mj); r != NVML_SUCCESS)
          fail("nvmlDeviceGetTotalEnergyConsumption(gpu{}): {}", i, nvml_.why(r));
        values.push_back(static_cast<double>(mj) / 1e3);
      } else {
        unsigned mw = 0;
        if (const auto r = nvml_.power_usage(devices_[i], &mw); r != NVML_SUCCESS)
          fail("nvmlDeviceGetPowerUsage(gpu{}): {}", i, nvml_.why(r));
        values.push_back(static_cast<double>(mw) / 1e3);
      }
    }
    return values;
  }

 private:
  Nvml nvml_;
  std::vector<nvmlDevice_t> devices_;
  Kind kind_;
  std::vector<EnergyChannel> channels_;
};

}  // namespace

SensorProbe probe_nvml(const std::string& library) {
  Nvml nvml;
  nvml.handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!nvml.handle) {
    const char* why = dlerror();
    return {nullptr, fmt::format("cannot load {} (no NVIDIA driver): {}", library, why ? why : "")};
  }
  auto give_up = [&](std::string reason) {
    dlclose(nvml.handle);
    return SensorProbe{nullptr, std::move(reason)};
  };
  if (!bind(nvml.handle, "nvmlInit_v2", nvml.init) || !bind(nvml.handle, "nvmlShutdown", nvml.shutdown) ||
      !bind(nvml.handle, "nvmlDeviceGetCount_v2", nvml.device_count) ||
      !bind(nvml.handle, "nvmlDeviceGetHandleByIndex_v2", nvml.device_by_index) ||
      !bind(nvml.handle, "nvmlDeviceGetPowerUsage", nvml.power_usage))
    return give_up(fmt::format("{} lacks the NVML functions used (nvmlInit_v2, nvmlDeviceGetPowerUsage, …)", library));
  bind(nvml.handle, "nvmlErrorString", nvml.error_string);
  bind(nvml.handle, "nvmlDeviceGetTotalEnergyConsumption", nvml.total_energy);  // absent from old drivers

  if (const auto r = nvml.init(); r != NVML_SUCCESS) return give_up("nvmlInit: " + nvml.why(r));
  unsigned count = 0;
  if (const auto r = nvml.device_count(&count); r != NVML_SUCCESS || count == 0) {
    const std::string reason = r != NVML_SUCCESS ? "nvmlDeviceGetCount: " + nvml.why(r) : "NVML sees no GPU";
    nvml.shutdown();
    return give_up(reason);
  }
  std::vector<nvmlDevice_t> devices(count);
  // The counter only where every GPU has it; otherwise power, which every GPU must then give.
  bool counters = nvml.total_energy != nullptr;
  std::string failure;
  for (unsigned i = 0; i < count && failure.empty(); ++i) {
    if (const auto r = nvml.device_by_index(i, &devices[i]); r != NVML_SUCCESS) {
      failure = fmt::format("nvmlDeviceGetHandleByIndex({}): {}", i, nvml.why(r));
      break;
    }
    unsigned long long mj = 0;
    if (counters && nvml.total_energy(devices[i], &mj) != NVML_SUCCESS) counters = false;
  }
  for (unsigned i = 0; i < count && failure.empty() && !counters; ++i) {
    unsigned mw = 0;
    if (const auto r = nvml.power_usage(devices[i], &mw); r != NVML_SUCCESS)
      failure = fmt::format("nvmlDeviceGetPowerUsage(gpu{}): {}", i, nvml.why(r));
  }
  if (!failure.empty()) {
    nvml.shutdown();
    return give_up(failure);
  }
  return {std::make_unique<NvmlSensor>(nvml, std::move(devices),
                                       counters ? EnergySensor::Kind::counter : EnergySensor::Kind::power),
          ""};
}

}  // namespace stride
