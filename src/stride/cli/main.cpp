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
#include "stride/core/printable.h"
#include "stride/core/usage_error.h"
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
  CLI::App app;
  stride::cli::add_commands(app);
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
