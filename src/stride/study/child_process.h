#pragma once
// Runs a program to completion in a folder of its own, its standard output and error into a log
// file there: how a study runs each cell's `stride` command, so that a crash or a leak in one cell
// cannot take the study down, and each cell's log stays beside its results.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace stride::study {

struct ChildResult {
  int exit_code = 0;  // the program's exit status; 128 + N when killed by signal N
  double seconds = 0;
};

// Throws stride::Error when the program cannot be started (the log says why when it started but
// could not be executed: exit code 127).
// `waiting`, when given, is called about every half second while the program runs, with the
// seconds so far (to show progress from the log). `cpus`, when not empty, pins the program to
// those CPUs: cells side by side then never share a core.
ChildResult run_child(const std::filesystem::path& program, const std::vector<std::string>& args,
                      const std::filesystem::path& working_folder, const std::filesystem::path& log,
                      const std::function<void(double)>& waiting = {}, const std::vector<int>& cpus = {});

// The CPUs this process may run on, in order.
std::vector<int> usable_cpus();

// `name` looked up in PATH as a shell would (a name with a '/' is taken as it is); empty when
// there is no executable of that name.
std::filesystem::path find_program(const std::string& name);

// The last non-empty line of a log: what a failed command said ("stride: error: ...").
std::string last_line(const std::filesystem::path& log);

}  // namespace stride::study
