#pragma once
// Where `--json FILE` sends a command's results: FILE, written atomically once the work is done,
// or, for `-`, standard output — which then carries the JSON alone, for a pipe to read: from
// construction on, the command's text goes to standard error, and standard output is restored
// when the object goes (also when the command fails).
#include <nlohmann/json.hpp>
#include <string>

#include "stride/cli/output_paths.h"

namespace stride::cli {

class JsonOutput {
 public:
  explicit JsonOutput(std::string file);  // empty: no JSON asked for
  ~JsonOutput();
  JsonOutput(const JsonOutput&) = delete;
  JsonOutput& operator=(const JsonOutput&) = delete;

  bool requested() const { return !file_.empty(); }
  // For check_output_paths: the file, or nothing to check for standard output.
  OutputPath output_path() const;
  // Writes a result document (measure/result_header.h: the common header, then the command's
  // fields), 2-space indented, where it was asked for; nothing when it was not.
  void write(const nlohmann::ordered_json& document) const;

 private:
  std::string file_;
  int stdout_fd_ = -1;  // the real standard output while the text goes to standard error
};

}  // namespace stride::cli
