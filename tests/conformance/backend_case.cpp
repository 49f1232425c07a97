#include "conformance/backend_case.h"

#include <onnx/onnx_pb.h>

#include <algorithm>

#include "stride/onnx/proto_bytes.h"

namespace stride::conformance {
namespace {

BackendCase read_case(const std::string& suite, const std::filesystem::path& dir) {
  onnx::ModelProto model;
  onnx_io::parse_proto(onnx_io::read_proto_file(dir / "model.onnx", "ONNX model"), model, "ONNX model");
  const auto& graph = model.graph();
  BackendCase c{suite + "/" + dir.filename().string(), dir, {}, {}, {}};
  for (const auto& node : graph.node()) c.op_types.insert(node.op_type());
  std::set<std::string> initializers;
  for (const auto& init : graph.initializer()) initializers.insert(init.name());
  for (const auto& input : graph.input())
    if (!initializers.count(input.name())) c.input_names.push_back(input.name());
  for (const auto& output : graph.output()) c.output_names.push_back(output.name());
  return c;
}

}  // namespace

std::vector<BackendCase> list_backend_cases(const std::filesystem::path& root, const std::vector<std::string>& suites) {
  std::vector<BackendCase> cases;
  for (const auto& suite : suites) {
    if (!std::filesystem::is_directory(root / suite)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(root / suite))
      if (std::filesystem::exists(entry.path() / "model.onnx") &&
          std::filesystem::is_directory(entry.path() / "test_data_set_0"))
        cases.push_back(read_case(suite, entry.path()));
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return cases;
}

}  // namespace stride::conformance
