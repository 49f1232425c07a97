// The whole command line of `stride`: the tool's own options and every command this build has.
#include "stride/cli/commands.h"

#include <fmt/format.h>

#include <functional>
#include <string>

#include "stride/core/memory_budget.h"
#include "stride/core/version.h"
#include "stride/engine/select/make_backend.h"

namespace stride::cli {
namespace {

// `stride --version`: the version, and each backend with the library doing its work and the CPU
// features it uses on this machine.
std::string version_text() {
  std::string text = fmt::format("stride {}\nbackends:", version());
  for (const std::string& name : backend_names()) {
    const auto backend = make_backend(name);
    text += fmt::format("\n  {:<7} {}; CPU: {}", name, backend->library_version(), backend->cpu_features());
  }
  return text;
}

}  // namespace

void add_commands(CLI::App& app) {
  app.description("Stride: gait-recognition models from training to fast, measured edge deployment.");
  app.footer(
      "Example:\n"
      "  stride zoo build gaitset -o gaitset.onnx && stride info gaitset.onnx\n"
      "Run 'stride COMMAND --help' for the options of a command; docs/cli.md lists them all.");
  app.require_subcommand(1);
  app.set_version_flag("--version", std::function<std::string()>(version_text),
                       "Print the version, the backends built in and the CPU features they use");
  // One budget for the whole command (core/memory_budget.h); accepted after the command's words too.
  app.fallthrough();
  app.add_option_function<std::string>(
         "--memory-limit", [](const std::string& size) { set_memory_limit(parse_byte_size(size)); },
         "Most memory a command may plan to use, like 8G or 512M (default: 3/4 of this machine's memory)")
      ->envname("STRIDE_MEMORY_LIMIT");
  add_zoo_command(app);
  add_info_command(app);
  add_run_command(app);
  add_bench_command(app);
#ifdef STRIDE_WITH_DATASETS  // not in the boards' runtime-only build: OpenCV, FAISS, LAPACK
  add_data_command(app);
#ifdef STRIDE_WITH_TORCH
  add_train_command(app);
#endif
  add_eval_command(app);
  add_prune_command(app);
  add_sensitivity_command(app);
  add_convert_command(app);
  add_compare_command(app);
  add_export_c_command(app);
  add_video_command(app);
  add_quantize_command(app);
  add_study_command(app);
  add_gallery_command(app);
  add_identify_command(app);
#endif
}

}  // namespace stride::cli
