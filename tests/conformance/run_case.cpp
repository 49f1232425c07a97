#include "conformance/run_case.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "stride/io/tensor_file.h"

extern char** environ;

namespace stride::conformance {
namespace {

// ONNX's backend test runner compares with these tolerances (onnx/backend/test/runner).
constexpr double kRelTolerance = 1e-3;
constexpr double kAbsTolerance = 1e-7;

struct Exit {
  bool signaled = false;
  int code = 0;  // the exit status, or the signal number when signaled
};

// Runs `args` with stdout and stderr both written to `log`.
Exit spawn_and_wait(const std::vector<std::string>& args, const std::filesystem::path& log) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int spawn_error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) return {false, 127};
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return {true, WTERMSIG(status)};
  return {false, WEXITSTATUS(status)};
}

std::string last_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

// `stride run` names each output file after its graph output, with '/', '\' and ':' made '_'.
std::filesystem::path output_file(const std::filesystem::path& dir, std::string name) {
  std::replace_if(
      name.begin(), name.end(), [](char c) { return c == '/' || c == '\\' || c == ':'; }, '_');
  return dir / (name + ".pb");
}

// Empty when `actual` matches `expected`: same dtype and shape; integers equal, floats within
// ONNX's tolerances, NaN where NaN is expected.
std::string difference(const Tensor& actual, const Tensor& expected) {
  if (actual.dtype() != expected.dtype())
    return fmt::format("dtype {} instead of {}", dtype_name(actual.dtype()), dtype_name(expected.dtype()));
  if (actual.shape() != expected.shape())
    return fmt::format("shape {} instead of {}", shape_str(actual.shape()), shape_str(expected.shape()));
  const bool is_float = expected.dtype() == DType::f32 || expected.dtype() == DType::f64 ||
                        expected.dtype() == DType::f16 || expected.dtype() == DType::bf16;
  if (!is_float) return actual == expected ? "" : "integer values differ";
  const auto a = actual.to_f32(), e = expected.to_f32();
  const auto av = a.values<float>(), ev = e.values<float>();
  for (size_t i = 0; i < ev.size(); ++i) {
    if (std::isnan(ev[i]) && std::isnan(av[i])) continue;
    if (std::isinf(ev[i]) && av[i] == ev[i]) continue;
    if (!(std::abs(double{av[i]} - ev[i]) <= kAbsTolerance + kRelTolerance * std::abs(double{ev[i]})))
      return fmt::format("element {} is {}, expected {}", i, av[i], ev[i]);
  }
  return "";
}

CaseResult compare_outputs(const BackendCase& c, const std::filesystem::path& out_dir) {
  const auto data = c.dir / "test_data_set_0";
  for (size_t i = 0; i < c.output_names.size(); ++i) {
    const auto expected_file = data / fmt::format("output_{}.pb", i);
    if (!std::filesystem::exists(expected_file)) continue;
    const auto actual_file = output_file(out_dir, c.output_names[i]);
    if (!std::filesystem::exists(actual_file))
      return {Verdict::mismatch, fmt::format("output '{}' was not written", c.output_names[i])};
    // An expected output Stride cannot read (a dtype it lacks) is a mismatch of that case, not of the run.
    Tensor expected;
    try {
      expected = read_tensor_file(expected_file);
    } catch (const Error& e) {
      return {Verdict::mismatch, fmt::format("expected output unreadable: {}", e.what())};
    }
    const std::string diff = difference(read_tensor_file(actual_file), expected);
    if (!diff.empty()) return {Verdict::mismatch, fmt::format("output '{}': {}", c.output_names[i], diff)};
  }
  return {Verdict::passed, ""};
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::passed:
      return "passed";
    case Verdict::refused:
      return "refused";
    case Verdict::mismatch:
      return "mismatch";
    case Verdict::crashed:
      return "crashed";
  }
  return "?";
}

CaseResult run_case(const BackendCase& c, const std::filesystem::path& stride_binary, const std::string& backend,
                    const std::filesystem::path& scratch) {
  const auto work = scratch / std::filesystem::path(c.id).filename();
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  std::vector<std::string> args{stride_binary.string(),
                                "run",
                                (c.dir / "model.onnx").string(),
                                "--backend",
                                backend,
                                "--output-dir",
                                (work / "out").string(),
                                "--format",
                                "pb"};
  for (size_t i = 0; i < c.input_names.size(); ++i) {
    args.push_back("--input");
    args.push_back(c.input_names[i] + "=" + (c.dir / "test_data_set_0" / fmt::format("input_{}.pb", i)).string());
  }
  const auto log = work / "log.txt";
  const Exit exit = spawn_and_wait(args, log);
  const std::string message = last_line(log);
  CaseResult result;
  if (exit.signaled)
    result = {Verdict::crashed, fmt::format("killed by signal {}", exit.code)};
  else if (exit.code != 0)
    result = {message.empty() ? Verdict::crashed : Verdict::refused,
              message.empty() ? fmt::format("exit code {} without a message", exit.code) : message};
  else
    result = compare_outputs(c, work / "out");
  std::filesystem::remove_all(work);
  return result;
}

}  // namespace stride::conformance
