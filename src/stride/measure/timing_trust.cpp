#include "stride/measure/timing_trust.h"

#include <fmt/format.h>

#include <vector>

namespace stride {
namespace {

struct Findings {
  std::vector<std::string> busy;  // "batch 1 (load 1.62)"
  std::vector<std::string> wide;  // "batch 4 onednn (CV 14.2 %, p90/median 1.31)"
};

Findings findings(const BenchReport& r) {
  Findings f;
  for (const BatchResult& b : r.batches) {
    if (b.load_before && machine_busy(*b.load_before, r.usable_cores))
      f.busy.push_back(fmt::format("batch {} (load {:.2f} besides this process)", b.batch, b.load_before->others()));
    for (const BackendTiming& t : b.backends)
      if (spread_too_wide(t.whole))
        f.wide.push_back(fmt::format("batch {} {} (CV {:.1f} %, p90/median {:.2f})", b.batch, t.backend,
                                     100 * t.whole.cv, t.whole.p90_over_median));
  }
  return f;
}

}  // namespace

bool spread_too_wide(const LatencyStats& s) {
  return s.cv > kMaxTrustedCv || s.p90_over_median > kMaxTrustedP90OverMedian;
}

bool machine_busy(const LoadReading& before, int usable_cores) {
  return before.others() > kBusyLoadPerUsableCore * usable_cores;
}

std::string trust_warning(const BenchReport& r) {
  const Findings f = findings(r);
  if (f.busy.empty() && f.wide.empty()) return "";
  std::vector<std::string> parts;
  if (!f.busy.empty())
    parts.push_back(fmt::format("the machine was busy before {} (limit {:.2f}: half of {} usable cores)",
                                fmt::join(f.busy, ", "), kBusyLoadPerUsableCore * r.usable_cores, r.usable_cores));
  if (!f.wide.empty())
    parts.push_back(fmt::format("the spread is too wide at {} (limits: CV {:.0f} %, p90/median {:.2f})",
                                fmt::join(f.wide, ", "), 100 * kMaxTrustedCv, kMaxTrustedP90OverMedian));
  return fmt::format("warning: timings not to be trusted as they stand: {}", fmt::join(parts, "; "));
}

nlohmann::json trust_json(const BenchReport& r) {
  const Findings f = findings(r);
  return {{"busy", !f.busy.empty()},
          {"wide_spread", !f.wide.empty()},
          {"warning", trust_warning(r)},
          {"limits",
           {{"max_cv", kMaxTrustedCv},
            {"max_p90_over_median", kMaxTrustedP90OverMedian},
            {"busy_load_per_usable_core", kBusyLoadPerUsableCore}}}};
}

}  // namespace stride
