#pragma once
// Runs one backend test case through the `stride run` binary, exactly as a user would, and
// compares what it writes with the case's expected outputs.
#include <filesystem>
#include <string>

#include "conformance/backend_case.h"

namespace stride::conformance {

enum class Verdict {
  passed,    // every output has the expected dtype, shape and values
  refused,   // `stride run` exited with an error message
  mismatch,  // it ran, but an output differs
  crashed,   // it died of a signal or left no error message
};

struct CaseResult {
  Verdict verdict;
  std::string detail;  // the refusal's message or what differed
};

// Runs the case on `backend` in a scratch directory under `scratch`, which it removes again.
CaseResult run_case(const BackendCase& c, const std::filesystem::path& stride_binary, const std::string& backend,
                    const std::filesystem::path& scratch);

std::string_view verdict_name(Verdict verdict);

}  // namespace stride::conformance
