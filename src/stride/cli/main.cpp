// The `stride` command: parses the command line and reports any failure as one line on stderr
// with a non-zero exit code: 2 for a command line that cannot be satisfied as written (CLI11's
// parse errors and stride::UsageError, thrown wherever an option is checked), 1 for a failure while
// working.
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "stride/cli/commands.h"
#include "stride/core/error.h"
#include "stride/core/interrupt.h"
#include "stride/core/memory_budget.h"
#include "stride/core/printable.h"
#include "stride/core/usage_error.h"
#include "stride/core/version.h"
#include "stride/engine/select/make_backend.h"
#include "stride/measure/result_header.h"
#ifdef STRIDE_WITH_TORCH
#include "stride/engine/torch/torch_backend.h"
#endif

namespace {

constexpr int kUsageError = 2;

// The words before the first option name the command ("zoo build"): an unknown or missing one is
// refused here, in words CLI11 does not have ("A subcommand is required").
void check_command_words(CLI::App& app, int argc, char** argv) {
  CLI::App* current = &app;
  std::string words;
  for (int i = 1;; ++i) {
    const bool needs_command = current->get_require_subcommand_min() > 0;
    const std::string help = words.empty() ? "stride --help" : "stride " + words + " --help";
    if (i == argc || argv[i][0] == '-') {
      if (needs_command && i == argc)
        stride::fail("a command is required{} (run '{}' for the list)", words.empty() ? "" : " after '" + words + "'",
                     help);
      return;
    }
    const std::string word = argv[i];
    const auto found = current->get_subcommands([&](CLI::App* s) { return s->check_name(word); });
    if (found.empty()) {
      if (!needs_command) return;  // a positional argument of the command
      stride::fail("unknown command '{}' (run '{}' for the list)", words.empty() ? word : words + " " + word, help);
    }
    current = found.front();
    words += (words.empty() ? "" : " ") + word;
  }
}

// CLI11's message on one line, as Stride's own errors are.
std::string one_line(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  for (char& c : message)
    if (c == '\n') c = ' ';
  return message;
}

std::string first_line(std::string_view message) {
  const size_t end = message.find('\n');
  return std::string(message.substr(0, end));
}

// `stride --version`: the version, and each backend with the library doing its work and the CPU
// features it uses on this machine.
std::string version_text() {
  std::string text = fmt::format("stride {}\nbackends:", stride::version());
  for (const std::string& name : stride::backend_names()) {
    const auto backend = stride::make_backend(name);
    text += fmt::format("\n  {:<7} {}; CPU: {}", name, backend->library_version(), backend->cpu_features());
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  // The tool, not the library, owns the process: Ctrl-C removes half-written files
  // (core/interrupt.h), and LibTorch's backend joins the runtime's.
  stride::install_interrupt_handler();
  // Every JSON result repeats the command line, its start date and the load before any work.
  stride::record_invocation(argc, argv);
#ifdef STRIDE_WITH_TORCH
  stride::register_torch_backend();
#endif
  CLI::App app{"Stride: gait-recognition models from training to fast, measured edge deployment."};
  app.footer(
      "Example:\n"
      "  stride zoo build gaitset -o gaitset.onnx && stride info gaitset.onnx\n"
      "Run 'stride COMMAND --help' for the options of a command.");
  app.require_subcommand(1);
  app.set_version_flag("--version", std::function<std::string()>(version_text),
                       "Print the version, the backends built in and the CPU features they use");
  // One budget for the whole command (core/memory_budget.h); accepted after the command's words too.
  app.fallthrough();
  app.add_option_function<std::string>(
         "--memory-limit", [](const std::string& size) { stride::set_memory_limit(stride::parse_byte_size(size)); },
         "Most memory a command may plan to use, like 8G or 512M (default: 3/4 of this machine's memory)")
      ->envname("STRIDE_MEMORY_LIMIT");
  stride::cli::add_zoo_command(app);
  stride::cli::add_info_command(app);
  stride::cli::add_run_command(app);
  stride::cli::add_bench_command(app);
#ifdef STRIDE_WITH_DATASETS  // not in the boards' runtime-only build: OpenCV, FAISS, LAPACK
  stride::cli::add_data_command(app);
#ifdef STRIDE_WITH_TORCH
  stride::cli::add_train_command(app);
#endif
  stride::cli::add_eval_command(app);
  stride::cli::add_prune_command(app);
  stride::cli::add_sensitivity_command(app);
  stride::cli::add_convert_command(app);
  stride::cli::add_quantize_command(app);
  stride::cli::add_study_command(app);
#endif
  try {
    check_command_words(app, argc, argv);
  } catch (const stride::Error& e) {
    fmt::print(stderr, "stride: error: {}\n", e.what());
    return kUsageError;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "stride: error: {}\n", one_line(e.what()));
    return kUsageError;
  } catch (const stride::UsageError& e) {
    fmt::print(stderr, "stride: error: {}\n", stride::printable(e.what()));
    return kUsageError;
  } catch (const stride::Error& e) {
    // The message may quote names from a file: its control characters are escaped.
    fmt::print(stderr, "stride: error: {}\n", stride::printable(e.what()));
    return 1;
  } catch (const std::exception& e) {
    // A library's own exception (LibTorch appends a backtrace, OpenCV its source location): its
    // first line says what went wrong.
    fmt::print(stderr, "stride: error: {}\n", stride::printable(first_line(e.what())));
    return 1;
  }
  return 0;
}
