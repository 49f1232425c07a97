#pragma once
// When `stride bench`'s timings should not be trusted as they stand, and the one line that says
// why. The limits:
//  - the spread of one configuration (a backend at a batch size) is too wide when its coefficient
//    of variation (stddev / mean) is above 10 % or its p90 is more than 1.25 × its median: on an
//    idle machine repeated runs of one plan stay well inside both, so beyond them the median
//    depends on which runs happened to be taken;
//  - the machine was busy when, just before a batch size's warm-up, the 1-minute load average less
//    this process's own share (machine_load.h) was above half the cores bench may use: other work
//    then had runnable threads for a good part of those cores.
#include <nlohmann/json.hpp>
#include <string>

#include "stride/measure/benchmark.h"

namespace stride {

constexpr double kMaxTrustedCv = 0.10;
constexpr double kMaxTrustedP90OverMedian = 1.25;
constexpr double kBusyLoadPerUsableCore = 0.5;

bool spread_too_wide(const LatencyStats& stats);
bool machine_busy(const LoadReading& before, int usable_cores);

// One line naming every busy batch size and every configuration with too wide a spread, and the
// limits; "" when there is none.
std::string trust_warning(const BenchReport& report);
// The same verdict for the JSON: {"busy", "wide_spread", "warning", "limits"}.
nlohmann::json trust_json(const BenchReport& report);

}  // namespace stride
