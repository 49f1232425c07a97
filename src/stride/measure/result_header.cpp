#include "stride/measure/result_header.h"

#include "stride/core/cpu_count.h"
#include "stride/core/error.h"
#include "stride/core/version.h"
#include "stride/engine/select/make_backend.h"
#include "stride/measure/machine_info.h"
#include "stride/measure/unmeasured.h"
#include "stride/onnx/onnx_version.h"

namespace stride {
namespace {

struct Invocation {
  std::vector<std::string> command;
  std::optional<WorkStart> start;
};

Invocation& invocation() {
  static Invocation recorded;
  return recorded;
}

constexpr const char* kNoLoad = "the system reports no load average (getloadavg failed)";

nlohmann::json machine_json(const WorkStart& start) {
  const MachineInfo m = machine_info();
  const char* not_in_cpuinfo = "not in /proc/cpuinfo";
  nlohmann::json j = {{"cpu_model", m.cpu_model}};
  put_figure(j, "cpu_family", m.cpu_family, not_in_cpuinfo);
  put_figure(j, "cpu_model_number", m.cpu_model_number, not_in_cpuinfo);
  put_figure(j, "cpu_stepping", m.cpu_stepping, not_in_cpuinfo);
  put_figure(j, "mhz", m.mhz, "neither /proc/cpuinfo nor cpufreq gives the clock");
  j["cores"] = m.logical_cores;
  j["isa"] = m.isa_flags;
  j["kernel"] = m.kernel;
  j["hostname"] = m.hostname;
  const auto load_now = load_average();
  put_figure(j, "load_before", start.load_average, kNoLoad);
  put_figure(j, "load_after", load_now, kNoLoad);
  return j;
}

// Every engine this process has, with the library doing its work, and the model files' libraries.
nlohmann::json libraries_json() {
  nlohmann::json j = nlohmann::json::object();
  for (const std::string& name : backend_names()) j[name] = make_backend(name)->library_version();
  j["onnx"] = onnx_library_version();
  return j;
}

}  // namespace

WorkStart work_start_now() { return {utc_timestamp(), load_average()}; }

void record_invocation(int argc, const char* const* argv) {
  invocation().command.assign(argv, argv + argc);
  invocation().start = work_start_now();
}

nlohmann::ordered_json result_header(const std::string& kind, int threads) {
  const Invocation& at = invocation();
  return result_header(kind, threads, at.start ? *at.start : work_start_now());
}

nlohmann::ordered_json result_header(const std::string& kind, int threads, const WorkStart& start) {
  nlohmann::ordered_json j;
  j["kind"] = kind;
  j["stride"] = {{"version", version()}, {"commit", commit()}};
  j["command"] = invocation().command;
  j["date"] = start.date;
  j["machine"] = machine_json(start);
  j["libraries"] = libraries_json();
  j["threads"] = threads > 0 ? threads : usable_cores();
  return j;
}

nlohmann::ordered_json result_document(const std::string& kind, int threads, const nlohmann::json& body) {
  nlohmann::ordered_json j = result_header(kind, threads);
  for (const auto& [name, value] : body.items()) {
    if (j.contains(name)) fail("a {} result's own field '{}' is a field of the results' header", kind, name);
    j[name] = value;
  }
  return j;
}

}  // namespace stride
