// Names inside a model file reach the terminal escaped: an escape sequence or a newline in a node or
// model name is shown as \xNN, so it can neither drive the terminal nor split a one-line error.
#include "support/command_support.h"

namespace stride::testing {
namespace {

class ModelStrings : public CommandTest {};

Graph named_model(const std::string& model_name, const std::string& node_name, const std::string& op) {
  Graph g;
  g.name = model_name;
  g.inputs.push_back({"x", DType::f32, {1, 4}});
  g.nodes.push_back({node_name, op, {"x"}, {"y"}, {}});
  g.outputs.push_back({"y", DType::f32, {1, 4}});
  return g;
}

TEST_F(ModelStrings, InfoEscapesControlCharacters) {
  const std::string model = save(named_model("title\x1b]0;owned\x07", "relu\x1b[2J", "Relu"), "m.onnx");
  const Outcome o = run_stride({"info", model});
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(o.output.find('\x1b'), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("title\\x1b]0;owned\\x07"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("relu\\x1b[2J"), std::string::npos) << o.output;
}

TEST_F(ModelStrings, AnErrorQuotingANameStaysOneEscapedLine) {
  const std::string model = save(named_model("m", "two\nlines\x1b[31m", "NoSuchOp"), "m.onnx");
  expect_refused({"info", model}, "two\\x0alines\\x1b[31m");
}

// An attribute of the wrong type is refused naming the node that carries it.
TEST_F(ModelStrings, AnAttributeOfTheWrongTypeNamesItsNode) {
  Graph g = named_model("m", "leaky", "LeakyRelu");
  g.nodes[0].attrs.set("alpha", int64_t{1});
  expect_refused({"run", save(g, "m.onnx"), "--random", "--output-dir", path("out")},
                 "node 'leaky' (LeakyRelu): attribute 'alpha'");
}

}  // namespace
}  // namespace stride::testing
