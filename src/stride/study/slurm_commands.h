#pragma once
// Slurm's own commands, run as child processes (child_process.h) and their output read back:
// submitting (sbatch), watching (squeue), cancelling (scancel). Found in PATH, so that a cluster's
// wrappers, or the tests' stand-ins, are the ones run.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace stride::study {

struct CommandOutput {
  int exit_code = 0;
  std::string text;  // standard output and error together
};

// Runs `name` (looked up in PATH) with `args`; its output goes through a file in `scratch`.
// Throws stride::Error when `name` is not in PATH.
CommandOutput run_slurm_command(const std::string& name, const std::vector<std::string>& args,
                                const std::filesystem::path& scratch);

// Submits `script` after `after_ok`; returns the job id. Throws with sbatch's message on refusal.
std::string submit_job(const std::filesystem::path& script, const std::vector<std::string>& after_ok,
                       const std::filesystem::path& scratch);

// The state ("PENDING", "RUNNING", "COMPLETED", "FAILED", ...) of each of this user's jobs that
// Slurm still lists, by job id. A job ended longer ago than the cluster's MinJobAge is absent.
// Throws when squeue fails (the controller unreachable).
std::map<std::string, std::string> job_states(const std::filesystem::path& scratch);
// Whether a state is one a job leaves by itself (it is still to end).
bool job_is_live(const std::string& state);

// scancel of every job given (quietly: some may have ended already).
void cancel_jobs(const std::vector<std::string>& ids, const std::filesystem::path& scratch);

}  // namespace stride::study
