// Standalone activations, broadcasting binary ops and batch normalization against ref.
#include "onednn/onednn_test_support.h"

namespace stride::testing {
namespace {

TEST(OnednnElementwise, ActivationsOnInputsAndOnBlockedData) {
  for (const char* op : {"Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "Exp"}) {
    SCOPED_TRACE(op);
    GraphMaker m;
    m.input("x", {2, 16, 5, 5});
    Attributes a = std::string(op) == "LeakyRelu" ? attributes({{"alpha", 0.2f}}) : Attributes{};
    std::vector<std::string> bounds{"x"};
    if (std::string(op) == "Clip")
      bounds = {"x", m.constant("lo", Tensor::scalar(-0.3f)), m.constant("hi", Tensor::scalar(0.6f))};
    m.node(op, "on_input", bounds, a);
    // The same op on a pooled convolution output, which is in oneDNN's layout and has no other reader.
    m.node("Conv", "conv", {"x", m.weight("w", {16, 16, 1, 1})});
    m.node("MaxPool", "pool", {"conv"}, attributes({{"kernel_shape", Ints{2, 2}}}));
    bounds[0] = "pool";
    m.node(op, "on_blocked", bounds, a);
    m.output("on_input").output("on_blocked");
    expect_matches_ref(m.graph());
  }
}

// Log of positive values (a Sigmoid's), standalone and fused into the convolution before it.
TEST(OnednnElementwise, LogAfterSigmoid) {
  GraphMaker m;
  m.node("Log", "log_input", {m.node("Sigmoid", "positive", {m.input("x", {2, 16, 5, 5})})});
  m.node("Conv", "conv", {"x", m.weight("w", {16, 16, 1, 1})});
  m.node("Log", "log_conv", {m.node("Sigmoid", "conv_positive", {"conv"})});
  m.output("log_input").output("log_conv");
  auto plan = expect_matches_ref(m.graph());
  EXPECT_EQ(step_computing(*plan, "log_conv").primitive, "convolution");
}

// An activation over a plain copy of a transposed view may overwrite that copy only when nothing
// else reads the view afterwards.
TEST(OnednnElementwise, InPlaceActivationSparesACopyOthersStillRead) {
  GraphMaker m;
  m.node("Transpose", "t", {m.input("x", {3, 4, 5})}, attributes({{"perm", Ints{2, 0, 1}}}));
  m.node("Relu", "first", {"t"});
  m.node("Sigmoid", "second", {"t"});
  m.output("first").output("second");
  expect_matches_ref(m.graph());
}

// A per-channel operand broadcast onto a convolution's own layout.
TEST(OnednnElementwise, BroadcastOntoBlockedData) {
  GraphMaker m;
  m.node("Conv", "conv", {m.input("x", {2, 3, 5, 5}), m.weight("w", {16, 3, 1, 1})});
  m.node("Mul", "scaled", {"conv", m.weight("scale", {1, 16, 1, 1})});
  m.output("conv").output("scaled");
  expect_matches_ref(m.graph());
}

// A constant second operand of the input's full shape (no broadcast), of rank 1, 2 and 4.
TEST(OnednnElementwise, BinaryOpsWithAFullShapeConstant) {
  for (const Shape& shape : {Shape{7}, Shape{3, 5}, Shape{2, 3, 4, 5}}) {
    for (const char* op : {"Add", "Div"}) {
      SCOPED_TRACE(std::string(op) + " " + shape_str(shape));
      GraphMaker m;
      m.node(op, "y", {m.input("x", shape), m.weight("c", shape)});
      m.output("y");
      expect_matches_ref(m.graph());
    }
  }
}

TEST(OnednnElementwise, BinaryOpsBroadcast) {
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) {
    SCOPED_TRACE(op);
    GraphMaker m;
    m.input("a", {2, 3, 4, 5});
    m.input("b", {3, 1, 5});
    m.input("c", {2, 3, 4, 5});
    Tensor positive = random_tensor({5}, 3);
    for (float& v : positive.values<float>()) v = 1.0f + std::abs(v);  // Div stays away from zero
    m.node(op, "row", {"a", m.constant("per_column", positive)});
    m.node(op, "rows", {"row", "b"});
    m.node(op, "full", {"rows", "c"});
    m.output("full");
    expect_matches_ref(m.graph());
  }
}

TEST(OnednnElementwise, CommutativeOpsBroadcastTheirFirstInput) {
  GraphMaker m;
  m.node("Mul", "y", {m.input("small", {1, 4}), m.input("big", {3, 4})});
  m.output("y");
  expect_matches_ref(m.graph());
}

TEST(OnednnElementwise, BroadcastFirstInputOfSubIsRefused) {
  GraphMaker m;
  m.node("Sub", "y", {m.input("small", {1, 4}), m.input("big", {3, 4})});
  m.output("y");
  EXPECT_THROW(OnednnBackend().compile(m.graph(), {}), Error);
}

TEST(OnednnElementwise, BatchNormalizationOnItsOwn) {
  GraphMaker m;
  m.input("x", {2, 8, 4, 4});
  Tensor variance = random_tensor({8}, 5);
  for (float& v : variance.values<float>()) v = 0.1f + std::abs(v);
  m.node("BatchNormalization", "bn",
         {"x", m.weight("gamma", {8}), m.weight("beta", {8}), m.weight("mean", {8}), m.constant("var", variance)});
  m.output("bn");
  auto plan = expect_matches_ref(m.graph());
  EXPECT_EQ(step_computing(*plan, "bn").primitive, "batch_normalization");
}

}  // namespace
}  // namespace stride::testing
