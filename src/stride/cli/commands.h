#pragma once
// Each subcommand of `stride` lives in its own file and registers itself on the app.
#include <CLI/CLI.hpp>

namespace stride::cli {

// The tool's own options (--version, --memory-limit) and every command of this build, as `stride`
// parses them; what tests/cli/options_vocabulary_test.cpp walks.
void add_commands(CLI::App& app);

void add_zoo_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_data_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_prune_command(CLI::App& app);
void add_sensitivity_command(CLI::App& app);
void add_convert_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_export_c_command(CLI::App& app);
void add_video_command(CLI::App& app);
void add_quantize_command(CLI::App& app);
void add_study_command(CLI::App& app);
void add_gallery_command(CLI::App& app);
void add_identify_command(CLI::App& app);
#ifdef STRIDE_WITH_TORCH
void add_train_command(CLI::App& app);  // training needs LibTorch
#endif

}  // namespace stride::cli
