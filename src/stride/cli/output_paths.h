#pragma once
// Every command that writes files checks its output paths before it starts any work: an output
// never replaces one of the command's inputs (the same file under any spelling, through a link,
// or a file inside an input dataset folder), two outputs are never the same file, and the folder
// an output goes into exists and is writable. A refusal is one stride::Error naming the option and
// the path.
#include <filesystem>
#include <string>
#include <vector>

namespace stride::cli {

struct InputPath {
  std::string what;  // "model", "dataset", "file": named in the refusal ("is the input model")
  std::filesystem::path path;
};

struct OutputPath {
  enum class Kind { file, folder };
  std::string option;          // "--json", "-o"
  std::filesystem::path path;  // empty: not asked for, nothing to check
  Kind kind = Kind::file;
};

void check_output_paths(const std::vector<InputPath>& inputs, const std::vector<OutputPath>& outputs);

}  // namespace stride::cli
