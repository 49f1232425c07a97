#include "stride/study/sbatch_script.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

#include "stride/core/error.h"

namespace stride::study {

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::string job_name(const std::string& cell_id) { return "stride:" + cell_id; }

std::string sbatch_script(const SlurmCellJob& job, const SlurmJobOptions& o) {
  std::string s = "#!/bin/sh\n";
  s += fmt::format("# Study cell {}: computed into the shared cell cache by `stride study --run-cell`.\n", job.cell_id);
  auto directive = [&](const std::string& option) { s += "#SBATCH " + option + "\n"; };
  directive("--job-name=" + job_name(job.cell_id));
  directive("--output=" + job.log.string());
  directive("--ntasks=1");
  // A training cell asks for the CPUs its fixed thread count uses, whatever --cpus-per-cell says.
  if (const int cpus = job.cpus > 0 ? job.cpus : o.cpus_per_cell; cpus > 0)
    directive(fmt::format("--cpus-per-task={}", cpus));
  if (!o.partition.empty()) directive("--partition=" + o.partition);
  if (!o.account.empty()) directive("--account=" + o.account);
  if (!o.time.empty()) directive("--time=" + o.time);
  if (!o.mem.empty()) directive("--mem=" + o.mem);
  // A cell that measures time has the node to itself, or says in its record that it had not.
  if (job.measures_time && o.exclusive_timing) directive("--exclusive");
  for (const std::string& extra : o.extra) directive(extra);
  std::vector<std::string> words;
  for (const std::string& w : job.command) words.push_back(shell_quote(w));
  s += fmt::format("exec {}\n", fmt::join(words, " "));
  return s;
}

std::vector<std::string> sbatch_arguments(const std::vector<std::string>& after_ok,
                                          const std::filesystem::path& script) {
  std::vector<std::string> args = {"--parsable"};
  if (!after_ok.empty()) {
    args.push_back(fmt::format("--dependency=afterok:{}", fmt::join(after_ok, ":")));
    args.push_back("--kill-on-invalid-dep=yes");
  }
  args.push_back(script.string());
  return args;
}

std::string parse_job_id(const std::string& output) {
  // Warnings may come first (stderr is in the same capture): the id is a line of its own.
  std::string id;
  size_t at = 0;
  while (at < output.size()) {
    const size_t end = std::min(output.find('\n', at), output.size());
    size_t digits = at;
    while (digits < end && std::isdigit(static_cast<unsigned char>(output[digits]))) ++digits;
    if (digits > at && (digits == end || output[digits] == ';' || output[digits] == '\r'))
      id = output.substr(at, digits - at);
    at = end + 1;
  }
  if (id.empty()) fail("sbatch printed no job id: '{}'", output);
  return id;
}

}  // namespace stride::study
