#pragma once
// What a study cell becomes on Slurm: a batch script that runs `stride study --run-cell ID` (the
// one cell, into the shared cell cache), and the sbatch command line that submits it after the jobs
// of the cells it reads (afterok). Text only, no Slurm needed: the tests read what would be run.
#include <filesystem>
#include <string>
#include <vector>

namespace stride::study {

// Passed through to every job.
struct SlurmJobOptions {
  std::string partition, account, time, mem;  // empty: the cluster's defaults
  int cpus_per_cell = 0;                      // --cpus-per-task; 0: the cluster's default
  std::vector<std::string> extra;             // --slurm-args, split at spaces
  bool exclusive_timing = true;               // timing cells ask for a node of their own
};

struct SlurmCellJob {
  std::string cell_id;
  bool measures_time = false;
  int cpus = 0;                      // a training cell's fixed thread count: its --cpus-per-task
  std::filesystem::path log;         // Slurm's output file ("%j" becomes the job id)
  std::vector<std::string> command;  // the program and its arguments, run by the script
};

// A POSIX shell word: 'text', with embedded quotes escaped.
std::string shell_quote(const std::string& text);
// Splits at runs of spaces and tabs (no quoting: sbatch options hold no spaces).
std::vector<std::string> split_words(const std::string& text);

// "stride:<id>", short enough for squeue's default column and free of spaces.
std::string job_name(const std::string& cell_id);

std::string sbatch_script(const SlurmCellJob& job, const SlurmJobOptions& options);

// sbatch's arguments: --parsable, the dependency on `after_ok` (none when empty) with jobs of
// failed dependencies cancelled rather than left pending forever, then the script.
std::vector<std::string> sbatch_arguments(const std::vector<std::string>& after_ok,
                                          const std::filesystem::path& script);

// The job id in `sbatch --parsable`'s output ("123" or "123;cluster"); throws when there is none.
std::string parse_job_id(const std::string& output);

}  // namespace stride::study
