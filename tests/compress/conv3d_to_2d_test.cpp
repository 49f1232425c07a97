#include "stride/compress/conv3d_to_2d.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "compress/conv3d_graphs.h"
#include "stride/ir/shape_inference.h"
#include "stride/onnx/onnx_export.h"
#include "stride/onnx/onnx_import.h"
#include "tensor_compare.h"

namespace stride::testing {
namespace {

std::vector<std::string> op_types(const Graph& g) {
  std::vector<std::string> ops;
  for (const Node& n : g.nodes) ops.push_back(n.op_type);
  return ops;
}

bool has_conv3d(const Graph& g) {
  for (const Node& n : g.nodes)
    if (n.op_type == "Conv" && g.initializers.at(n.inputs[1]).rank() == 5) return true;
  return false;
}

void expect_same_outputs(const Graph& original, const Graph& converted, const std::string& backend, int64_t batch,
                         double tolerance) {
  const TensorMap inputs = inputs_for(original, batch);
  const TensorMap want = run_on("ref", original, inputs);
  const TensorMap got = run_on(backend, converted, inputs);
  for (const auto& [name, t] : want) {
    SCOPED_TRACE("output " + name + " on " + backend);
    EXPECT_TRUE(close_to(got.at(name), t, tolerance));
  }
}

const Conv3dTo2dOptions kSvd{.init = Conv3dTo2dInit::svd};

TEST(Conv3dTo2dSvd, OneConvWithStridesAndPadsInEveryAxisIsExactAtFullRank) {
  const Graph g = one_conv3d_graph();
  const Conv3dTo2dResult r = convert_3d_to_2d(g, kSvd);
  // The Relu after the 3-D conv moves before the final Reshape, next to the temporal conv.
  EXPECT_EQ(op_types(r.graph), (std::vector<std::string>{"Transpose", "Reshape", "Conv", "Reshape", "Transpose", "Conv",
                                                         "Relu", "Reshape"}));
  ASSERT_EQ(r.layers.size(), 1u);
  const ConvertedConv& l = r.layers[0];
  EXPECT_EQ(l.node, "conv");
  EXPECT_TRUE(l.split);
  EXPECT_EQ(l.kernel, (std::vector<int64_t>{3, 3, 2}));
  EXPECT_EQ(l.full_rank, 12);  // min(Co·kt = 12, Ci·kh·kw = 18)
  EXPECT_EQ(l.rank, 12);
  ASSERT_TRUE(l.relative_error);
  EXPECT_EQ(*l.relative_error, 0.0);
  EXPECT_LT(measured_error(g, r.graph, "conv"), 1e-6);
  // The spatial conv has no bias (padded frames must stay zero); the 3-D conv's bias is the temporal one's.
  EXPECT_EQ(node_named(r.graph, "conv/spatial").inputs.size(), 2u);
  EXPECT_EQ(node_named(r.graph, "conv/temporal").inputs.at(2), "conv.bias");
  EXPECT_FALSE(r.graph.initializers.count("conv.weight"));
  EXPECT_FALSE(has_conv3d(r.graph));

  // x [2,3,7,9,8], kernel (3,3,2), strides 2, pads t 1+2, h 1+0, w 2+1 → [2,4,4,4,5].
  const GraphShapes shapes = infer_shapes(r.graph);
  EXPECT_EQ(shapes.at("conv/spatial").shape, (Shape{14, 12, 4, 5}));
  EXPECT_EQ(shapes.at("conv/temporal").shape, (Shape{2, 4, 4, 20}));
  EXPECT_EQ(shapes.at("y").shape, (Shape{2, 4, 4, 4, 5}));
  expect_same_outputs(g, r.graph, "ref", 2, 1e-4);

  // Hand-counted at the declared batch 2: before 4·3·18 + 4 parameters and 640 outputs × 54 taps;
  // after 12·3·3·2 + 4·12·3 + 4 parameters, 14·12·4·5 outputs × 18 taps + 640 outputs × 36 taps.
  EXPECT_EQ(l.params_before, 220);
  EXPECT_EQ(l.params_after, 216 + 144 + 4);
  EXPECT_EQ(l.macs_before, 640 * 54);
  EXPECT_EQ(l.macs_after, 3360 * 18 + 640 * 36);
}

TEST(Conv3dTo2dSvd, SmallCnn3dIsExactAtFullRank) {
  const Graph g = small_cnn3d();
  const Conv3dTo2dResult r = convert_3d_to_2d(g, kSvd);
  ASSERT_EQ(r.layers.size(), 7u);
  EXPECT_FALSE(has_conv3d(r.graph));
  for (const ConvertedConv& l : r.layers) {
    SCOPED_TRACE(l.node);
    ASSERT_TRUE(l.relative_error);
    EXPECT_EQ(*l.relative_error, 0.0);
    if (!l.split) continue;
    EXPECT_EQ(l.rank, l.full_rank);
    EXPECT_LT(measured_error(g, r.graph, l.node), 1e-5);
  }
  // conv7 (1,1,1) is a 2-D conv of every frame already: one conv, its own weights.
  EXPECT_FALSE(r.layers.back().split);
  EXPECT_EQ(r.layers.back().node, "conv7/Conv");
  EXPECT_EQ(r.graph.initializers.at(node_named(r.graph, "conv7/Conv/spatial").inputs[1]),
            g.initializers.at("conv7/Conv.weight").reshaped({128, 64, 1, 1}));
  // conv1: kernel (3,5,5) on 2 channels: M is (8·3) × (2·25), full rank 24.
  EXPECT_EQ(r.layers[0].full_rank, 24);
  expect_same_outputs(g, r.graph, "ref", 2, 1e-4);
}

TEST(Conv3dTo2dSvd, TruncatedRankReportsTheMeasuredError) {
  const Graph g = small_cnn3d();
  for (const Conv3dTo2dOptions& options : {Conv3dTo2dOptions{.init = Conv3dTo2dInit::svd, .rank_fraction = 0.5},
                                           Conv3dTo2dOptions{.init = Conv3dTo2dInit::svd, .rank = 3}}) {
    const Conv3dTo2dResult r = convert_3d_to_2d(g, options);
    for (const ConvertedConv& l : r.layers) {
      if (!l.split) continue;
      SCOPED_TRACE(l.node);
      const int64_t want =
          options.rank ? std::min<int64_t>(3, l.full_rank) : (l.full_rank + 1) / 2;  // ceil(0.5 × full)
      EXPECT_EQ(l.rank, want);
      EXPECT_EQ(node_named(r.graph, l.node + "/spatial").outputs.size(), 1u);
      EXPECT_EQ(r.graph.initializers.at(node_named(r.graph, l.node + "/spatial").inputs[1]).dim(0), want);
      ASSERT_TRUE(l.relative_error);
      EXPECT_GT(*l.relative_error, 0.0);
      EXPECT_NEAR(measured_error(g, r.graph, l.node), *l.relative_error, 1e-5 + 1e-4 * *l.relative_error);
    }
    const TensorMap inputs = inputs_for(g, 1);
    EXPECT_GT(relative_error(run_on("ref", r.graph, inputs).at("feature"), run_on("ref", g, inputs).at("feature")),
              1e-4);
  }
}

TEST(Conv3dTo2dSvd, ATemporallyPointwiseConvKeepsItsWeightsInOneConv) {
  for (Conv3dTo2dInit init : {Conv3dTo2dInit::svd, Conv3dTo2dInit::fresh}) {
    SCOPED_TRACE(init_name(init));
    const Graph g = one_conv3d_graph({.weight = {4, 3, 1, 3, 2}, .strides = {1, 2, 2}, .pads = {0, 1, 0, 0, 1, 1}});
    const Conv3dTo2dResult r = convert_3d_to_2d(g, {.init = init});
    EXPECT_EQ(op_types(r.graph),
              (std::vector<std::string>{"Transpose", "Reshape", "Conv", "Reshape", "Transpose", "Relu", "Reshape"}));
    EXPECT_FALSE(r.layers.at(0).split);
    expect_same_outputs(g, r.graph, "ref", 2, 1e-5);
  }
}

TEST(Conv3dTo2dFresh, StructureShapesAndInitialisation) {
  const Graph g = one_conv3d_graph();
  const Conv3dTo2dResult r = convert_3d_to_2d(g, {.seed = 7});
  EXPECT_EQ(op_types(r.graph), (std::vector<std::string>{"Transpose", "Reshape", "Conv", "Relu", "Reshape", "Transpose",
                                                         "Conv", "Relu", "Reshape"}));
  const Node& spatial = node_named(r.graph, "conv/spatial");
  const Node& temporal = node_named(r.graph, "conv/temporal");
  EXPECT_EQ(node_named(r.graph, "conv/spatial_relu").inputs[0], spatial.outputs[0]);
  EXPECT_EQ(spatial.attrs.get_ints("kernel_shape"), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(spatial.attrs.get_ints("strides"), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(spatial.attrs.get_ints("pads"), (std::vector<int64_t>{1, 2, 0, 1}));
  EXPECT_EQ(temporal.attrs.get_ints("kernel_shape"), (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(temporal.attrs.get_ints("strides"), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(temporal.attrs.get_ints("pads"), (std::vector<int64_t>{1, 0, 2, 0}));

  // R = Co = 4 channels between the halves.
  const GraphShapes shapes = infer_shapes(r.graph);
  EXPECT_EQ(shapes.at("conv/spatial").shape, (Shape{14, 4, 4, 5}));
  EXPECT_EQ(shapes.at("conv/temporal").shape, (Shape{2, 4, 4, 20}));
  EXPECT_EQ(shapes.at("y").shape, (Shape{2, 4, 4, 4, 5}));
  EXPECT_EQ(r.layers.at(0).rank, 4);
  EXPECT_FALSE(r.layers.at(0).relative_error);
  for (const Node* conv : {&spatial, &temporal}) {
    const Tensor& bias = r.graph.initializers.at(conv->inputs.at(2));
    for (float v : bias.values<float>()) EXPECT_EQ(v, 0.0f) << conv->name;
  }

  const TensorMap out = run_on("ref", r.graph, inputs_for(g, 2));
  EXPECT_EQ(out.at("y").shape(), (Shape{2, 4, 4, 4, 5}));
  for (float v : out.at("y").values<float>()) ASSERT_TRUE(std::isfinite(v));

  // One seed, one model; another seed, other weights.
  EXPECT_EQ(convert_3d_to_2d(g, {.seed = 7}).graph, r.graph);
  EXPECT_NE(convert_3d_to_2d(g, {.seed = 8}).graph.initializers, r.graph.initializers);
}

TEST(Conv3dTo2dFresh, WeightsAreHeNormal) {
  const Graph g = small_cnn3d();
  const Conv3dTo2dResult r = convert_3d_to_2d(g);
  // conv2: spatial [16, 8, 3, 3] (fan-in 72), temporal [16, 16, 3, 1] (fan-in 48).
  for (const auto& [conv, fan_in] :
       {std::pair<std::string, double>{"conv2/Conv/spatial", 72}, {"conv2/Conv/temporal", 48}}) {
    const auto w = r.graph.initializers.at(node_named(r.graph, conv).inputs[1]).values<float>();
    double sum = 0, squares = 0;
    for (float v : w) sum += v, squares += static_cast<double>(v) * v;
    const double n = static_cast<double>(w.size()), mean = sum / n;
    EXPECT_NEAR(mean, 0.0, 0.02) << conv;
    EXPECT_NEAR(std::sqrt(squares / n - mean * mean), std::sqrt(2.0 / fan_in), 0.1 * std::sqrt(2.0 / fan_in)) << conv;
  }
  EXPECT_EQ(r.graph.metadata.at("stride.convert.3d_to_2d"), "fresh (seed 0)");
  const TensorMap out = run_on("ref", r.graph, inputs_for(g, 2));
  EXPECT_EQ(out.at("probabilities").shape(), (Shape{2, 10}));
}

// The message of the stride::Error that converting `g` throws contains every one of `parts`.
auto fails_with(std::initializer_list<const char*> parts) {
  std::vector<::testing::Matcher<const std::string&>> matchers;
  for (const char* p : parts) matchers.push_back(::testing::HasSubstr(p));
  return ::testing::ThrowsMessage<Error>(::testing::AllOfArray(matchers));
}

// Between converted layers the clip stays [N, C, T, H·W]: no 5-D value but the input, the first
// Transpose of it and conv7's output (read by Flatten); on onednn every ReLU fuses into a conv.
TEST(Conv3dTo2dFresh, LayersJoinWithoutFiveDimensionalRoundTrips) {
  const Graph g = small_cnn3d();
  const Graph converted = convert_3d_to_2d(g).graph;
  std::vector<std::string> five_d;
  for (const auto& [value, info] : infer_shapes(converted).values)
    if (info.shape.size() == 5) five_d.push_back(value);
  EXPECT_EQ(five_d, (std::vector<std::string>{"conv1/Conv/frames_first", "conv7/Conv", "flow"}));
  EXPECT_EQ(node_named(converted, "conv2/Conv/frames_first").inputs[0], "conv1/Relu/before_unfold");
  EXPECT_EQ(node_named(converted, "conv2/Conv/frames_first").attrs.get_ints("perm"), (Ints{0, 2, 1, 3}));

  auto plan = expect_matches_ref(converted, {{"flow", {2, 2, 25, 60, 60}}}, 1e-4);
  for (const Node& n : converted.nodes)
    if (n.op_type == "Relu") {
      EXPECT_EQ(step_computing(*plan, n.name).primitive, "convolution") << n.name;
    }
  // And with the svd weights the joined layers still compute the 3D-CNN.
  expect_same_outputs(g, convert_3d_to_2d(g, kSvd).graph, "onednn", 2, 1e-4);
}

// A batch norm is per channel (axis 1): it moves before the final Reshape as an activation does.
TEST(Conv3dTo2dSvd, ABatchNormAfterTheConvMovesWithTheRelu) {
  Graph g = one_conv3d_graph();
  g.nodes[1].inputs[0] = "bn_out";
  for (const char* p : {"bn.scale", "bn.bias", "bn.mean"}) g.initializers[p] = random_tensor({4}, 30);
  g.initializers["bn.var"] = Tensor::from_vector<float>({4}, {0.5f, 1.0f, 2.0f, 0.25f});
  g.nodes.insert(
      g.nodes.begin() + 1,
      {"bn", "BatchNormalization", {"conv_out", "bn.scale", "bn.bias", "bn.mean", "bn.var"}, {"bn_out"}, {}});
  const Graph converted = convert_3d_to_2d(g, kSvd).graph;
  EXPECT_EQ(op_types(converted), (std::vector<std::string>{"Transpose", "Reshape", "Conv", "Reshape", "Transpose",
                                                           "Conv", "BatchNormalization", "Relu", "Reshape"}));
  expect_same_outputs(g, converted, "ref", 2, 1e-4);
}

TEST(Conv3dTo2dRefusals, NoConv3dIsNothingToConvert) {
  const Graph g = build_model("cnn2d", {.classes = 10, .width_mult = 0.125});
  EXPECT_THAT([&] { convert_3d_to_2d(g); }, fails_with({"nothing to convert"}));
}

TEST(Conv3dTo2dRefusals, GroupedDilatedOrUnknownSizedConvsNameTheNode) {
  const Graph grouped = one_conv3d_graph({.weight = {3, 1, 3, 3, 2}, .group = 3});
  EXPECT_THAT([&] { convert_3d_to_2d(grouped); }, fails_with({"node 'conv'", "group 3"}));
  const Graph dilated = one_conv3d_graph({.dilations = {1, 2, 1}});
  EXPECT_THAT([&] { convert_3d_to_2d(dilated); }, fails_with({"node 'conv'", "dilations 1,2,1"}));
  const Graph any_frames = one_conv3d_graph({.input = {-1, 3, -1, 9, 8}});
  EXPECT_THAT([&] { convert_3d_to_2d(any_frames); }, fails_with({"node 'conv'", "unknown input dimension"}));
  // An unknown batch alone is fine: the reshapes fold it with -1.
  const Graph any_batch = one_conv3d_graph({.input = {-1, 3, 7, 9, 8}});
  expect_same_outputs(any_batch, convert_3d_to_2d(any_batch, kSvd).graph, "ref", 3, 1e-4);

  Graph computed_weight = one_conv3d_graph();
  computed_weight.inputs.push_back({"w", DType::f32, {4, 3, 3, 3, 2}});
  computed_weight.nodes[0].inputs[1] = "w";
  EXPECT_THAT([&] { convert_3d_to_2d(computed_weight); }, fails_with({"node 'conv'", "initializer"}));
}

TEST(Conv3dTo2dRefusals, InconsistentOptions) {
  const Graph g = one_conv3d_graph();
  EXPECT_THROW(convert_3d_to_2d(g, {.init = Conv3dTo2dInit::fresh, .rank = 2}), Error);
  EXPECT_THROW(convert_3d_to_2d(g, {.init = Conv3dTo2dInit::svd, .rank = 2, .rank_fraction = 0.5}), Error);
  EXPECT_THROW(convert_3d_to_2d(g, {.init = Conv3dTo2dInit::svd, .rank = 0}), Error);
  EXPECT_THROW(convert_3d_to_2d(g, {.init = Conv3dTo2dInit::svd, .rank_fraction = 1.5}), Error);
  EXPECT_THROW(convert_3d_to_2d(g, {.init = Conv3dTo2dInit::svd, .rank_fraction = 0.0}), Error);
  // A rank above a layer's full rank is that full rank.
  EXPECT_EQ(convert_3d_to_2d(g, {.init = Conv3dTo2dInit::svd, .rank = 1000}).layers[0].rank, 12);
}

TEST(Conv3dTo2dNames, StayUniqueAndRecordTheConversion) {
  // A value already called "conv/spatial" makes the new node take the next free name.
  Graph g = one_conv3d_graph();
  g.nodes[1].outputs[0] = g.outputs[0].name = "conv/spatial";
  const Conv3dTo2dResult r = convert_3d_to_2d(g, kSvd);
  std::set<std::string> names;
  for (const Node& n : r.graph.nodes) EXPECT_TRUE(names.insert(n.name).second) << n.name;
  EXPECT_NO_THROW(node_named(r.graph, "conv/spatial_2"));
  EXPECT_NO_THROW(validate(r.graph));
  EXPECT_EQ(r.graph.metadata.at("stride.convert.3d_to_2d"), "svd");
  EXPECT_EQ(r.graph.metadata.at("stride.convert.3d_to_2d.layers"), "conv: rank 12 of 12, relative error 0.000e+00");
  expect_same_outputs(g, r.graph, "ref", 2, 1e-4);
}

// Saved as ONNX and read back, the converted model is the same graph and runs on the onednn engine
// with the original's outputs (on ref).
TEST(Conv3dTo2dOnnx, RoundTripsAndRunsOnOnednn) {
  for (const Graph& g : {one_conv3d_graph(), small_cnn3d()}) {
    SCOPED_TRACE(g.name);
    for (const Conv3dTo2dOptions& options : {kSvd, Conv3dTo2dOptions{.init = Conv3dTo2dInit::svd, .rank = 3}}) {
      const Graph converted = convert_3d_to_2d(g, options).graph;
      const std::string bytes = serialize_onnx(converted);
      const Graph loaded = parse_onnx(bytes, "converted.onnx");
      EXPECT_EQ(serialize_onnx(loaded), bytes);
      EXPECT_EQ(loaded.metadata, converted.metadata);
      const int64_t declared = g.inputs[0].shape[0];
      for (int64_t batch : declared > 0 ? std::vector<int64_t>{declared} : std::vector<int64_t>{1, 2}) {
        SCOPED_TRACE("batch " + std::to_string(batch));
        const TensorMap inputs = inputs_for(g, batch);
        const TensorMap on_ref = run_on("ref", loaded, inputs);
        const TensorMap on_onednn = run_on("onednn", loaded, inputs);
        for (const auto& [name, t] : on_ref) EXPECT_TRUE(close_to(on_onednn.at(name), t, 1e-4)) << name;
        if (!options.rank) expect_same_outputs(g, loaded, "onednn", batch, 1e-4);
      }
    }
  }
}

}  // namespace
}  // namespace stride::testing
