// Every zoo model is valid ONNX to the ONNX checker and survives export -> import unchanged.
#include <gtest/gtest.h>
#include <onnx/checker.h>

#include "stride/onnx/onnx_export.h"
#include "stride/onnx/onnx_import.h"
#include "stride/zoo/zoo.h"

namespace stride {
namespace {

class ZooExport : public ::testing::TestWithParam<std::string> {};

TEST_P(ZooExport, PassesTheOnnxCheckerAndReimportsEqual) {
  ZooOptions options;
  options.width_mult = 0.125;  // small weights keep the test fast; the graph structure is the full model's
  options.seed = 7;
  const Graph graph = build_model(GetParam(), options);
  const std::string bytes = serialize_onnx(graph);

  onnx::ModelProto model;
  ASSERT_TRUE(model.ParseFromString(bytes));
  try {
    onnx::checker::check_model(model);
  } catch (const onnx::checker::ValidationError& e) {
    ADD_FAILURE() << GetParam() << ": " << e.what();
  }

  const Graph imported = parse_onnx(bytes, GetParam() + ".onnx");
  EXPECT_EQ(imported, sorted(graph));
  EXPECT_EQ(serialize_onnx(imported), bytes);
}

std::vector<std::string> zoo_names() {
  std::vector<std::string> names;
  for (const auto& entry : zoo_list()) names.push_back(entry.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(AllModels, ZooExport, ::testing::ValuesIn(zoo_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name;
                           for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace stride
