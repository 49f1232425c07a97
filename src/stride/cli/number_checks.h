#pragma once
// Checks of numeric options whose refusals read like Stride's other errors, in one short line
// ("--batch: 0 is out of range: expected 1 to 4096"), where CLI11's own print the limits of a
// double in full.
#include <CLI/CLI.hpp>

namespace stride::cli {

CLI::Validator positive();      // > 0
CLI::Validator non_negative();  // >= 0
CLI::Validator in_range(double low, double high);
// A --threads option: 0 (all cores) up to kMaxThreads. More threads than that only exhaust the
// machine (each OpenMP thread takes a stack; 100000 of them crashed the process).
inline constexpr int kMaxThreads = 1024;
CLI::Validator thread_count();

}  // namespace stride::cli
