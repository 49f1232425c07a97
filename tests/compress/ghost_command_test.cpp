// `stride convert --ghost` and `stride compare` as a user runs them.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "compress/conv3d_graphs.h"
#include "stride/io/npy.h"
#include "stride/onnx/onnx_import.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

namespace fs = std::filesystem;

class GhostCommand : public CommandTest {
 protected:
  // A small ResNet-50 on 16×16 GEIs, and a folder of `count` .npy inputs for it.
  std::string resnet() const {
    return save(build_model("resnet50-gei", {.classes = 3, .height = 16, .width = 16, .width_mult = 0.25, .seed = 4}),
                "resnet.onnx");
  }
  std::string inputs(int count) const {
    const fs::path dir = dir_ / "inputs";
    fs::create_directories(dir);
    for (int i = 0; i < count; ++i)
      write_npy(dir / ("gei-" + std::to_string(i) + ".npy"), random_tensor({1, 1, 16, 16}, 100 + i));
    return dir.string();
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

TEST_F(GhostCommand, ConvertsEveryEligibleConvolutionAndRecordsIt) {
  const std::string in = resnet(), out = path("ghost.onnx"), report = path("ghost.json");
  const Outcome o = run_stride({"convert", in, "--ghost", "-o", out, "--json", report});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("53 of 53 convolutions → Ghost modules (ratio 2"), std::string::npos) << o.output;
  const Graph g = load_onnx(out);
  EXPECT_EQ(g.metadata.at("stride.convert.ghost").rfind("ratio 2: 53 of 53", 0), 0u);
  EXPECT_EQ(g.producer("stem/Conv")->op_type, "Concat");
  const nlohmann::json j = nlohmann::json::parse(read(report));
  EXPECT_EQ(j.at("kind"), "convert");
  EXPECT_EQ(j.at("conversion"), "ghost");
  EXPECT_EQ(j.at("ratio"), 2);
  EXPECT_EQ(j.at("layers").size(), 53u);
  EXPECT_LT(j.at("after").at("params").get<int64_t>(), j.at("before").at("params").get<int64_t>());
  const TensorMap x = inputs_for(g, 2);
  EXPECT_EQ(run_on("ref", g, x).at("probabilities").shape(), (Shape{2, 3}));
}

TEST_F(GhostCommand, RefusesAModelWithNothingToConvert) {
  const std::string in = save(build_model("cnn3d", {.classes = 3, .width_mult = 0.125}), "cnn3d.onnx");
  expect_refused({"convert", in, "--ghost", "-o", path("out.onnx")}, in + ": model 'cnn3d' has no convolution");
  expect_refused({"convert", in, "--ghost", "-o", path("out.onnx")}, "nothing to convert");
  expect_refused({"convert", in, "--3d-to-2d", "--ratio", "2", "-o", path("out.onnx")}, "--ratio applies to --ghost",
                 kUsage);
  expect_refused({"convert", in, "--3d-to-2d", "--ghost", "-o", path("out.onnx")}, "not both", kUsage);
}

TEST_F(GhostCommand, CompareGivesZeroForTheSameModelAndPerLayerErrorsForItsGhostVersion) {
  const std::string a = resnet(), data = inputs(5), report = path("compare.json");
  const Outcome same = run_stride({"compare", a, a, "--data", data, "--backend", "ref", "--json", report});
  ASSERT_EQ(same.exit_code, 0) << same.output;
  const nlohmann::json j = nlohmann::json::parse(read(report));
  EXPECT_EQ(j.at("kind"), "compare");
  EXPECT_EQ(j.at("samples"), 5);  // the default asks for 16: what there is, with a line saying so
  EXPECT_NE(same.output.find("5 inputs"), std::string::npos) << same.output;
  ASSERT_GT(j.at("layers").size(), 100u);
  for (const auto& layer : j.at("layers")) EXPECT_EQ(layer.at("mse").get<double>(), 0.0) << layer.at("value");

  const std::string ghost = path("ghost.onnx");
  ASSERT_EQ(run_stride({"convert", a, "--ghost", "-o", ghost}).exit_code, 0);
  const Outcome o = run_stride({"compare", a, ghost, "--data", data, "--samples", "4", "--backend", "ref"});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("first convolutions' MSE"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("stem/Conv"), std::string::npos) << o.output;
  expect_refused({"compare", a, ghost, "--data", data, "--samples", "6"}, "6", kUsage);
}

}  // namespace
}  // namespace stride::testing
