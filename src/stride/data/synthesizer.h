#pragma once
// Writes a whole synthetic gait dataset to disk in the layout of its preset.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>

#include "stride/data/synth_config.h"

namespace stride::data {

// Called on the calling thread after each finished recording (one subject, sequence and view).
using SynthProgress = std::function<void(size_t done, size_t total)>;

// Name of the summary file written last into the dataset folder; its presence marks a finished run.
inline constexpr const char* kSynthManifest = "stride-synth.txt";

// Creates `out` (with its parents) unless it exists; refuses (stride::Error naming it) a file or a
// folder that is not empty, so that a generator never mixes its files with others.
void prepare_output_folder(const std::filesystem::path& out);

// Renders every recording of `config` from `seed` into `out`, which must be absent or empty. The
// files are identical for a given (config, seed) whatever config.threads is. Throws stride::Error
// (naming the path) when the folder cannot be used or a file cannot be written. Returns the number
// of recordings written.
size_t synthesize(const SynthConfig& config, uint64_t seed, const std::filesystem::path& out,
                  const SynthProgress& progress = {});

}  // namespace stride::data
