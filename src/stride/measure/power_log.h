#pragma once
// An external power log, e.g. a JouleScope or a bench supply export: CSV rows of a timestamp
// (seconds since the Unix epoch, the clock the run's windows are taken on) and watts. With a header,
// the columns are found by name (the first containing "time", the first containing "power" or
// "watt"); without one they are the first two. Lines starting with '#' are comments.
#include <filesystem>

#include "stride/measure/power_trace.h"

namespace stride {

// Throws stride::Error naming the file and line when it cannot be read or a row is not two numbers,
// or when the timestamps go backwards.
PowerTrace read_power_log(const std::filesystem::path& file);

}  // namespace stride
