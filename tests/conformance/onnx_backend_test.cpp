// ONNX's own backend test cases (Debian's libonnx-testdata), run through `stride run --backend ref`
// like a user would: every case whose ops are all in Stride's op registry must pass, crash never,
// and fail only where known_failures() says why.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "conformance/backend_case.h"
#include "conformance/known_failures.h"
#include "conformance/run_case.h"
#include "stride/ir/op_registry.h"

namespace stride::conformance {
namespace {

// The suites with test data; "real" holds only links to models downloaded on demand.
const std::vector<std::string> kSuites = {"node", "pytorch-converted", "pytorch-operator", "simple"};
// The cases of Stride's ops that pass; the rest of known_failures() is mostly tensors of element
// types Stride does not have: Dropout's bool tensors (8 cases), and Cast's string tensors and
// bfloat16 test data stored as uint16 (8 cases).
constexpr double kMinPassRate = 0.93;

bool uses_claimed_ops_only(const BackendCase& c) {
  const auto claimed = op_registry().types();
  return std::all_of(c.op_types.begin(), c.op_types.end(),
                     [&](const std::string& op) { return std::count(claimed.begin(), claimed.end(), op) > 0; });
}

// Runs the cases on as many threads as there are cores: each is a process of its own.
std::vector<CaseResult> run_all(const std::vector<BackendCase>& cases, const std::filesystem::path& scratch) {
  std::vector<CaseResult> results(cases.size());
  std::atomic<size_t> next{0};
  std::vector<std::jthread> workers;
  for (unsigned t = 0; t < std::max(1u, std::thread::hardware_concurrency()); ++t)
    workers.emplace_back([&] {
      for (size_t i = next++; i < cases.size(); i = next++)
        results[i] = run_case(cases[i], STRIDE_BINARY, "ref", scratch);
    });
  workers.clear();
  return results;
}

TEST(OnnxBackendCases, StrideRunPassesTheCasesOfItsOps) {
  const std::filesystem::path root = STRIDE_ONNX_TESTDATA;
  ASSERT_TRUE(std::filesystem::is_directory(root / "node"))
      << root << " has no ONNX backend test cases; install Debian's libonnx-testdata (scripts/install-deps.sh)";
  std::vector<BackendCase> cases = list_backend_cases(root, kSuites);
  std::erase_if(cases, [](const BackendCase& c) { return !uses_claimed_ops_only(c); });
  ASSERT_FALSE(cases.empty());

  const auto scratch = std::filesystem::temp_directory_path() / fmt::format("stride_conformance_{}", getpid());
  const std::vector<CaseResult> results = run_all(cases, scratch);
  std::filesystem::remove_all(scratch);

  std::map<std::string, std::pair<int, int>> by_suite;  // passed, claimed
  int passed = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const BackendCase& c = cases[i];
    const CaseResult& r = results[i];
    auto& [suite_passed, suite_claimed] = by_suite[c.id.substr(0, c.id.find('/'))];
    ++suite_claimed;
    const auto known = known_failures().find(c.id);
    if (r.verdict == Verdict::passed) {
      ++passed;
      ++suite_passed;
      EXPECT_EQ(known, known_failures().end()) << c.id << " passes now; remove it from known_failures()";
      continue;
    }
    fmt::print("  {:9} {}: {}\n", verdict_name(r.verdict), c.id, r.detail);
    EXPECT_NE(r.verdict, Verdict::crashed) << c.id << ": " << r.detail;
    EXPECT_NE(known, known_failures().end())
        << c.id << " " << verdict_name(r.verdict) << ": " << r.detail << "\n(a new failure; fix it, or list it with"
        << " its reason in known_failures())";
  }
  for (const auto& [suite, counts] : by_suite) fmt::print("{:18} {}/{} passed\n", suite, counts.first, counts.second);
  fmt::print("ONNX backend test cases of Stride's ops: {}/{} passed\n", passed, cases.size());
  for (const auto& [id, reason] : known_failures())
    EXPECT_TRUE(std::any_of(cases.begin(), cases.end(), [&](const BackendCase& c) { return c.id == id; }))
        << id << " is listed in known_failures() but is no case of Stride's ops";
  EXPECT_GE(passed, kMinPassRate * static_cast<double>(cases.size()));
}

}  // namespace
}  // namespace stride::conformance
