#pragma once
// One of ONNX's backend test cases as libonnx-testdata installs them:
// <root>/<suite>/<case>/model.onnx with test_data_set_0/input_<i>.pb and output_<i>.pb, input i
// feeding the i-th graph input that is not an initializer and output i the i-th graph output.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace stride::conformance {

struct BackendCase {
  std::string id;  // "<suite>/<case>", e.g. "node/test_relu"
  std::filesystem::path dir;
  std::set<std::string> op_types;  // of the top-level graph; nodes of subgraphs belong to If/Loop/Scan
  std::vector<std::string> input_names;
  std::vector<std::string> output_names;
};

// Every case under the given suites of `root` that has a model and test_data_set_0, sorted by id.
std::vector<BackendCase> list_backend_cases(const std::filesystem::path& root, const std::vector<std::string>& suites);

}  // namespace stride::conformance
