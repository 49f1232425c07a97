#pragma once
// The options several commands share, declared here once so that each has one name, one meaning and
// one default wherever it appears (docs/cli.md lists them; tests/cli/options_vocabulary_test.cpp
// walks every command against shared_options()). A command adds what is particular to it after the
// shared meaning: `use` below, appended to the description.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stride/engine/backend.h"

namespace stride::cli {

struct SharedOption {
  std::string_view name;
  std::string_view meaning;        // every declaration's description starts with it
  std::string_view default_value;  // the same in every command; empty: none, or one per command (docs/cli.md)
};

// The vocabulary: --data, --backend, --json, --threads, --batch, --seed, --split, --samples,
// --classifier, --energy.
const std::vector<SharedOption>& shared_options();

// Old spellings still accepted where scripts used them, hidden from --help; never a primary name.
struct FormerSpelling {
  std::string_view name;     // "--calib"
  std::string_view current;  // "--data"
};
const std::vector<FormerSpelling>& former_spellings();

// --data DIR: the dataset the command reads. `former` (e.g. "--calib") is accepted as well, hidden.
CLI::Option* add_data_option(CLI::App* cmd, std::string& dir, std::string_view use, std::string_view former = {});
// DIR or --data DIR, for a command whose one argument is the dataset (`data preview`).
CLI::Option* add_data_argument(CLI::App* cmd, std::string& dir, std::string_view use);
// --backend NAME: the engine that runs the model; "auto" by default, checked against this build's backends.
CLI::Option* add_backend_option(CLI::App* cmd, std::string& backend, std::string_view use);
// A backend of this build or auto: what --backend accepts (for an option naming a second engine).
CLI::Validator backend_name();
// --json FILE: the results as JSON; "-" is standard output (cli/json_output.h).
CLI::Option* add_json_option(CLI::App* cmd, std::string& file);
// --threads N: 0 (all usable cores) up to kMaxThreads.
CLI::Option* add_threads_option(CLI::App* cmd, int& threads, std::string_view use = {});
// --batch N: samples per inference (or per training step); for int and int64_t.
template <typename Int>
CLI::Option* add_batch_option(CLI::App* cmd, Int& batch, std::string_view use);
// --batch N,M,...: the batch sizes a command times, each in turn. `former` as for --data.
CLI::Option* add_batches_option(CLI::App* cmd, std::vector<int64_t>& batches, std::string_view use,
                                std::string_view former = {});
// --seed N.
CLI::Option* add_seed_option(CLI::App* cmd, uint64_t& seed, std::string_view use);
// --split test|validation|auto: the subjects an accuracy is measured on.
CLI::Option* add_split_option(CLI::App* cmd, std::string& split);
// --samples N: dataset inputs a statistic is taken over (see honoured_samples).
// Inputs per inference while such a statistic is taken (the activation criterion's scores).
inline constexpr int64_t kActivationBatch = 8;
CLI::Option* add_samples_option(CLI::App* cmd, int64_t& samples, std::string_view use);
// --classifier knn|softmax.
CLI::Option* add_classifier_option(CLI::App* cmd, std::string& classifier);
// --energy SPEC: the energy meter.
CLI::Option* add_energy_option(CLI::App* cmd, std::string& spec, std::string_view use);

// The batch sizes --batch N,M,... times unless told otherwise: what `bench`, `quantize --bench`
// and `prune --bench` share.
inline const std::vector<int64_t> kTimedBatches{1, 2, 4, 8};

// The inputs in `batches` (each batch's first dimension).
int64_t samples_in(const std::vector<TensorMap>& batches);

// --samples as a request: the number the data gave when it meets the request; when the user asked
// (`option` was given) for more than `available`, a stride::UsageError naming both figures; when the
// default asks for more, what there is, with a line saying so.
int64_t honoured_samples(const CLI::Option& option, int64_t asked, int64_t available, std::string_view what);

}  // namespace stride::cli
