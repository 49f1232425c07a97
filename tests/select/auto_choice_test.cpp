// `--backend auto` (engine/select): the reference-work rule that comes before any timing, the
// measurement itself, the cache, and the promise of issue "ARM: auto chosen by measurement" — no
// zoo model runs a reference convolution on the engine auto picks (on x86 here; under qemu on arm64).
#include <gtest/gtest.h>

#include <filesystem>

#include "graph_maker.h"
#include "stride/core/atomic_file.h"
#include "stride/engine/inputs.h"
#include "stride/engine/select/backend_choice_cache.h"
#include "stride/engine/select/make_backend.h"
#include "stride/engine/select/measured_choice.h"
#include "stride/ir/cost.h"
#include "stride/zoo/zoo.h"

namespace stride::testing {
namespace {

// x [N,64] · W [64,32] as MatMul: onednn has a fast kernel for it, xnnpack leaves MatMul to ref.
Graph matmul_graph() {
  Graph g;
  g.name = "matmul";
  g.inputs = {{"x", DType::f32, {-1, 64}}};
  g.outputs = {{"y", DType::f32, {-1, 32}}};
  g.initializers["w"] = random_tensor({64, 32}, 7);
  g.nodes.push_back({"mm", "MatMul", {"x", "w"}, {"y"}, {}});
  return g;
}

Graph small_zoo_model(const std::string& name) {
  ZooOptions options;
  options.width_mult = 0.25;
  options.classes = 6;
  return build_model(name, options);
}

CompileOptions at_batch_one(const Graph& graph) {
  return {.threads = 1, .input_shapes = input_shapes_at_batch(graph, 1)};
}

const CandidateMeasure& candidate(const MeasuredChoice& choice, const std::string& backend) {
  for (const CandidateMeasure& c : choice.candidates)
    if (c.backend == backend) return c;
  throw std::runtime_error("no candidate " + backend);
}

TEST(AutoChoice, AnEngineLeavingMoreWorkToReferenceKernelsIsNeverTimed) {
  const Graph graph = matmul_graph();
  const MeasuredChoice choice = measure_backends(graph, at_batch_one(graph));
  int64_t least = INT64_MAX;
  for (const CandidateMeasure& c : choice.candidates) least = std::min(least, c.reference_macs);
  for (const CandidateMeasure& c : choice.candidates)
    if (c.reference_macs > least) {
      EXPECT_LT(c.median_ms, 0) << c.backend;
      EXPECT_NE(c.not_timed_because.find("to reference kernels"), std::string::npos) << c.not_timed_because;
    }
  EXPECT_EQ(candidate(choice, choice.backend).reference_macs, least);
  EXPECT_EQ(candidate(choice, "xnnpack").reference_macs, 64 * 32);  // the MatMul, on ref
#if defined(__x86_64__)
  EXPECT_EQ(choice.backend, "onednn");  // alone in the race: nothing to time
  EXPECT_LT(candidate(choice, "onednn").median_ms, 0);
  EXPECT_NE(choice.reason.find("the only fast engine"), std::string::npos) << choice.reason;
#endif
}

TEST(AutoChoice, TimesEveryEngineWithoutReferenceWorkAndKeepsTheFastest) {
  const Graph graph = small_zoo_model("cnn2d");
  const MeasuredChoice choice = measure_backends(graph, at_batch_one(graph), 1, 3);
  double fastest = 1e300;
  for (const CandidateMeasure& c : choice.candidates)
    if (c.median_ms >= 0) fastest = std::min(fastest, c.median_ms);
  if (fastest < 1e300) {  // more than one engine was in the race (on x86 here: both)
    EXPECT_EQ(candidate(choice, choice.backend).median_ms, fastest);
    EXPECT_NE(choice.reason.find(choice.backend), std::string::npos) << choice.reason;
  } else {
    EXPECT_NE(choice.reason.find("the only fast engine"), std::string::npos) << choice.reason;
  }
#if defined(__x86_64__)
  for (const CandidateMeasure& c : choice.candidates) EXPECT_GT(c.median_ms, 0) << c.backend << c.not_timed_because;
  EXPECT_NE(choice.reason.find("median of 3 runs"), std::string::npos) << choice.reason;
#endif
}

TEST(AutoChoice, UnknownShapesAreNotTimedAndRefIsTheLastResort) {
  Graph graph = matmul_graph();
  const BackendChoice untimed = choose_backend("auto", graph);  // no input shapes given
  EXPECT_EQ(untimed.name, "onednn");
  EXPECT_NE(untimed.reason.find("nothing timed"), std::string::npos) << untimed.reason;

  graph.nodes.front().op_type = "Det";  // no fast engine has it
  graph.outputs.front().shape = {};
  EXPECT_EQ(choose_backend("auto", graph, at_batch_one(graph)).name, "ref");
}

TEST(AutoChoice, TheChoiceIsRememberedPerModelAndShape) {
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "stride-auto-choice-test.json";
  std::filesystem::remove(file);
  const Graph graph = matmul_graph();
  {
    BackendChoiceCache cache(file);
    const BackendChoice first = choose_backend("auto", graph, at_batch_one(graph), &cache);
    EXPECT_EQ(first.reason.rfind("remembered", 0), std::string::npos);
    ASSERT_TRUE(std::filesystem::exists(file));
  }
  BackendChoiceCache reread(file);  // another process, later
  const BackendChoice again = choose_backend("auto", graph, at_batch_one(graph), &reread);
  EXPECT_EQ(again.reason.rfind("remembered: ", 0), 0u) << again.reason;

  Graph other = graph;
  other.initializers["w"] = random_tensor({64, 32}, 8);  // other weights: another model
  EXPECT_NE(choice_key(other, at_batch_one(other)), choice_key(graph, at_batch_one(graph)));
  CompileOptions batch_two = at_batch_one(graph);
  batch_two.input_shapes = input_shapes_at_batch(graph, 2);
  EXPECT_NE(choice_key(graph, batch_two), choice_key(graph, at_batch_one(graph)));

  write_file_atomically(file, "{ not json");  // a damaged cache only costs a measurement
  BackendChoiceCache damaged(file);
  EXPECT_EQ(choose_backend("auto", graph, at_batch_one(graph), &damaged).reason.rfind("remembered", 0),
            std::string::npos);
  std::filesystem::remove(file);
}

class ZooOnAuto : public ::testing::TestWithParam<std::string> {};

// What auto picks runs no convolution on reference kernels — on arm64 too, where oneDNN's are all
// "gemm:ref" and xnnpack must be the choice. (GaitSet's per-strip MatMul runs on ref in xnnpack, and
// in Debian's arm64 oneDNN too: no engine here has a fast one there.)
TEST_P(ZooOnAuto, PicksAnEngineWithoutReferenceConvolutions) {
  const Graph graph = small_zoo_model(GetParam());
  const CompileOptions options = at_batch_one(graph);
  const BackendChoice choice = choose_backend("auto", graph, options);
  SCOPED_TRACE(choice.name + ": " + choice.reason);
  ASSERT_NE(choice.name, "ref");
  const auto plan = make_backend(choice.name)->compile(graph, options);
  for (const std::string& node : plan->reference_nodes())
    for (const Node& n : graph.nodes)
      if (n.name == node) EXPECT_NE(n.op_type, "Conv") << node;
}

INSTANTIATE_TEST_SUITE_P(Zoo, ZooOnAuto, ::testing::Values("cnn2d", "cnn3d", "cnn3dto2d", "gaitset"));

}  // namespace
}  // namespace stride::testing
