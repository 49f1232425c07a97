// The `stride` command: parses the command line and reports any failure as one line on stderr
// with a non-zero exit code.
#include <fmt/format.h>

#include <cstdio>
#include <exception>

#include "stride/cli/commands.h"
#include "stride/core/error.h"

int main(int argc, char** argv) {
  CLI::App app{"Stride: gait-recognition models from training to fast, measured edge deployment."};
  app.footer(
      "Example:\n"
      "  stride zoo build gaitset -o gaitset.onnx && stride info gaitset.onnx\n"
      "Run 'stride COMMAND --help' for the options of a command.");
  app.require_subcommand(1);
  stride::cli::add_zoo_command(app);
  stride::cli::add_info_command(app);
  stride::cli::add_run_command(app);
  stride::cli::add_bench_command(app);
  stride::cli::add_data_command(app);
#ifdef STRIDE_WITH_TORCH
  stride::cli::add_train_command(app);
#endif
  stride::cli::add_eval_command(app);
  stride::cli::add_prune_command(app);
  stride::cli::add_sensitivity_command(app);
  stride::cli::add_convert_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    fmt::print(stderr, "stride: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
