#include "stride/study/slurm_commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/study/child_process.h"
#include "stride/study/sbatch_script.h"

namespace stride::study {
namespace fs = std::filesystem;

CommandOutput run_slurm_command(const std::string& name, const std::vector<std::string>& args,
                                const fs::path& scratch) {
  const fs::path program = find_program(name);
  if (program.empty()) fail("{} is not in PATH: is this a Slurm cluster's login node?", name);
  fs::create_directories(scratch);
  const fs::path log = scratch / fmt::format(".{}-{}.out", name, getpid());
  const ChildResult r = run_child(program, args, scratch, log);
  CommandOutput out{r.exit_code, fs::exists(log) ? read_file(log) : std::string()};
  std::error_code ignored;
  fs::remove(log, ignored);
  return out;
}

std::string submit_job(const fs::path& script, const std::vector<std::string>& after_ok, const fs::path& scratch) {
  const CommandOutput out = run_slurm_command("sbatch", sbatch_arguments(after_ok, script), scratch);
  if (out.exit_code != 0)
    fail("sbatch {} refused the job (exit code {}): {}", script.string(), out.exit_code, out.text);
  return parse_job_id(out.text);
}

std::map<std::string, std::string> job_states(const fs::path& scratch) {
  const CommandOutput out =
      run_slurm_command("squeue", {"--me", "--noheader", "--states=all", "--format=%i|%T"}, scratch);
  if (out.exit_code != 0) fail("squeue failed (exit code {}): {}", out.exit_code, out.text);
  std::map<std::string, std::string> states;
  size_t at = 0;
  while (at < out.text.size()) {
    const size_t end = std::min(out.text.find('\n', at), out.text.size());
    const std::string line = out.text.substr(at, end - at);
    if (const size_t bar = line.find('|'); bar != std::string::npos) states[line.substr(0, bar)] = line.substr(bar + 1);
    at = end + 1;
  }
  return states;
}

bool job_is_live(const std::string& state) {
  for (const char* live : {"PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "RESIZING",
                           "STAGE_OUT", "SIGNALING", "REQUEUE_HOLD", "REQUEUE_FED"})
    if (state == live) return true;
  return false;
}

void cancel_jobs(const std::vector<std::string>& ids, const fs::path& scratch) {
  if (ids.empty()) return;
  run_slurm_command("scancel", ids, scratch);
}

}  // namespace stride::study
