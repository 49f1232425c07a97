#include "stride/cli/common_options.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "stride/cli/number_checks.h"
#include "stride/core/usage_error.h"
#include "stride/engine/select/make_backend.h"

namespace stride::cli {
namespace {

const SharedOption& shared(std::string_view name) {
  const auto& all = shared_options();
  return *std::find_if(all.begin(), all.end(), [&](const SharedOption& o) { return o.name == name; });
}

// The shared meaning, then what the option is for in this command.
std::string description(std::string_view name, std::string_view use) {
  const std::string meaning(shared(name).meaning);
  return use.empty() ? meaning : fmt::format("{}; {}", meaning, use);
}

// The vocabulary's default, shown in --help like any other.
CLI::Option* with_shared_default(CLI::Option* option, std::string_view name) {
  return option->default_str(std::string(shared(name).default_value));
}

CLI::Validator batch_size() { return in_range(1, 4096); }

// A former spelling of `current`: the same value into the same place, hidden from --help (where a
// CLI11 `excludes` would print its empty name); giving both is refused.
template <typename T>
CLI::Option* add_former_spelling(CLI::App* cmd, std::string_view former, T& target, const CLI::Option* current) {
  const std::string name(former);
  return cmd
      ->add_option_function<T>(name,
                               [&target, current, name](const T& value) {
                                 if (current->count() > 0)
                                   throw CLI::ValidationError(
                                       name, "the former spelling of " + current->get_name() + ": give one of them");
                                 target = value;
                               })
      ->group("");
}

}  // namespace

const std::vector<SharedOption>& shared_options() {
  static const std::vector<SharedOption> options{
      {"--data", "Dataset folder (docs/data.md)", ""},
      {"--backend", "Engine: auto (the fast engine measured fastest on this model and machine) or one by name", "auto"},
      {"--json", "Write the results as JSON to FILE (-: standard output, the text then going to standard error)", ""},
      {"--threads", "Threads (0: all usable cores)", "0"},
      {"--batch", "Samples per inference", ""},
      {"--seed", "Seed (the same seed gives the same result)", ""},
      {"--split",
       "Subjects measured: test (the protocol's), validation (to choose without the test set; TUM-GAID), or auto "
       "(validation where the dataset has it, else test)",
       "test"},
      {"--samples", "Dataset inputs the statistics are taken over (more than the data holds: an error)", ""},
      {"--classifier", "knn (the protocol's gallery) or softmax (the model's own head)", "knn"},
      {"--energy",
       "Energy meter: auto, rapl[:ROOT], hwmon[:ROOT], jetson[:ROOT], nvml, file:LOG.csv (epoch seconds, watts) or "
       "none",
       "auto"},
  };
  return options;
}

const std::vector<FormerSpelling>& former_spellings() {
  static const std::vector<FormerSpelling> spellings{{"--calib", "--data"}, {"--bench-batches", "--batch"}};
  return spellings;
}

// Checked when the command line is read, so that a name this build lacks fails before any work
// with the list of those it has.
CLI::Validator backend_name() {
  return CLI::Validator(
      [](std::string& name) -> std::string {
        const std::vector<std::string> names = backend_choices();
        if (std::find(names.begin(), names.end(), name) != names.end()) return {};
        return fmt::format("'{}' is not a backend of this build: expected {}", name, fmt::join(names, ", "));
      },
      "BACKEND");
}

CLI::Option* add_data_option(CLI::App* cmd, std::string& dir, std::string_view use, std::string_view former) {
  CLI::Option* data = cmd->add_option("--data", dir, description("--data", use))->check(CLI::ExistingDirectory);
  if (!former.empty()) add_former_spelling(cmd, former, dir, data)->check(CLI::ExistingDirectory);
  return data;
}

CLI::Option* add_data_argument(CLI::App* cmd, std::string& dir, std::string_view use) {
  return cmd->add_option("dataset,--data", dir, description("--data", use))->check(CLI::ExistingDirectory);
}

CLI::Option* add_backend_option(CLI::App* cmd, std::string& backend, std::string_view use) {
  backend = "auto";
  const std::string help =
      fmt::format("{}; {} (this build: {})", shared("--backend").meaning, use, fmt::join(backend_choices(), ", "));
  return with_shared_default(cmd->add_option("--backend", backend, help), "--backend")->check(backend_name());
}

CLI::Option* add_json_option(CLI::App* cmd, std::string& file) {
  return cmd->add_option("--json", file, description("--json", {}))->type_name("FILE");
}

CLI::Option* add_threads_option(CLI::App* cmd, int& threads, std::string_view use) {
  threads = 0;
  return with_shared_default(cmd->add_option("--threads", threads, description("--threads", use)), "--threads")
      ->check(thread_count());
}

template <typename Int>
CLI::Option* add_batch_option(CLI::App* cmd, Int& batch, std::string_view use) {
  return cmd->add_option("--batch", batch, description("--batch", use))->capture_default_str()->check(batch_size());
}
template CLI::Option* add_batch_option(CLI::App*, int&, std::string_view);
template CLI::Option* add_batch_option(CLI::App*, int64_t&, std::string_view);

CLI::Option* add_batches_option(CLI::App* cmd, std::vector<int64_t>& batches, std::string_view use,
                                std::string_view former) {
  batches = kTimedBatches;
  CLI::Option* option = cmd->add_option("--batch", batches, description("--batch", use))
                            ->delimiter(',')
                            ->capture_default_str()
                            ->check(batch_size());
  if (!former.empty()) add_former_spelling(cmd, former, batches, option)->delimiter(',')->check(batch_size());
  return option;
}

CLI::Option* add_seed_option(CLI::App* cmd, uint64_t& seed, std::string_view use) {
  return cmd->add_option("--seed", seed, description("--seed", use))->capture_default_str();
}

CLI::Option* add_split_option(CLI::App* cmd, std::string& split) {
  split = "test";
  return with_shared_default(cmd->add_option("--split", split, description("--split", {})), "--split")
      ->check(CLI::IsMember({"test", "validation", "auto"}));
}

CLI::Option* add_samples_option(CLI::App* cmd, int64_t& samples, std::string_view use) {
  return cmd->add_option("--samples", samples, description("--samples", use))
      ->capture_default_str()
      ->check(in_range(1, 1e6));
}

CLI::Option* add_classifier_option(CLI::App* cmd, std::string& classifier) {
  classifier = "knn";
  return with_shared_default(cmd->add_option("--classifier", classifier, description("--classifier", {})),
                             "--classifier")
      ->check(CLI::IsMember({"knn", "softmax"}));
}

CLI::Option* add_energy_option(CLI::App* cmd, std::string& spec, std::string_view use) {
  spec = "auto";
  return with_shared_default(cmd->add_option("--energy", spec, description("--energy", use)), "--energy");
}

int64_t samples_in(const std::vector<TensorMap>& batches) {
  int64_t n = 0;
  for (const TensorMap& batch : batches)
    if (!batch.empty() && batch.begin()->second.rank() > 0) n += batch.begin()->second.dim(0);
  return n;
}

int64_t honoured_samples(const CLI::Option& option, int64_t asked, int64_t available, std::string_view what) {
  if (available >= asked) return available;
  if (option.count() > 0)
    usage_fail("--samples {}: the data holds {} {} only (ask for at most {})", asked, available, what, available);
  fmt::print("--samples: {} {} (all the data holds; the default is {})\n", available, what, asked);
  return available;
}

}  // namespace stride::cli
