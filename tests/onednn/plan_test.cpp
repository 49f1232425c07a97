// The plan as a whole: its arena, allocations per run, threads, and the errors a user can meet.
#include <omp.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "onednn/onednn_test_support.h"
#include "stride/ir/op_registry.h"

// Counts the bytes allocated through operator new while `counting` is set, to check that a warm
// plan allocates nothing for activations. AddressSanitizer replaces every form of operator new
// itself, so the count is taken in unsanitized builds only.
#if defined(__SANITIZE_ADDRESS__)
#define STRIDE_COUNT_ALLOCATIONS 0
#else
#define STRIDE_COUNT_ALLOCATIONS 1
namespace {
std::atomic<bool> counting{false};
std::atomic<size_t> allocated_bytes{0};
std::atomic<size_t> allocations{0};
}  // namespace

// GCC takes the free() of memory from a replaced operator new for a mismatch; here both use malloc.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(size_t bytes) {
  if (counting) {
    allocated_bytes += bytes;
    ++allocations;
  }
  if (void* p = std::malloc(bytes ? bytes : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
#endif

namespace stride::testing {
namespace {

Graph small_network() {
  GraphMaker m;
  m.input("x", {-1, 8, 16, 16});
  m.node("Conv", "c1", {"x", m.weight("w1", {32, 8, 3, 3}), m.weight("b1", {32})},
         attributes({{"pads", Ints{1, 1, 1, 1}}}));
  m.node("Relu", "r1", {"c1"});
  m.node("Conv", "c2", {"r1", m.weight("w2", {32, 32, 3, 3})}, attributes({{"pads", Ints{1, 1, 1, 1}}}));
  m.node("Add", "sum", {"c2", "r1"});
  m.node("MaxPool", "pool", {"sum"}, attributes({{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}}));
  m.node("Flatten", "flat", {"pool"});
  m.node("Gemm", "fc", {"flat", m.weight("wf", {10, 32 * 8 * 8}), m.weight("bf", {10})},
         attributes({{"transB", int64_t{1}}}));
  m.node("Softmax", "prob", {"fc"});
  m.output("prob");
  return m.graph();
}

TEST(OnednnPlan, WarmRunsKeepTheArenaAndAllocateNoActivations) {
  const Graph g = small_network();
  const std::map<std::string, Shape> shapes{{"x", {4, 8, 16, 16}}};
  auto plan = OnednnBackend().compile_plan(g, {.threads = 0, .input_shapes = shapes});
  const TensorMap inputs = signed_random_inputs(g, shapes);
  TensorMap outputs = plan->run(inputs);
  const std::byte* arena = plan->arena_data();
  const std::byte* output = outputs.at("prob").raw();
  ASSERT_NE(arena, nullptr);
  EXPECT_GT(plan->arena_bytes(), size_t{4 * 32 * 16 * 16 * 4}) << "holds at least one conv output";

#if STRIDE_COUNT_ALLOCATIONS
  allocated_bytes = 0;
  allocations = 0;
  counting = true;
#endif
  for (int i = 0; i < 3; ++i) plan->run_into(inputs, outputs);
#if STRIDE_COUNT_ALLOCATIONS
  counting = false;
  // oneDNN keeps a little bookkeeping per execution; activations would be hundreds of KiB.
  EXPECT_LT(allocated_bytes.load(), size_t{16 * 1024}) << allocations.load() << " allocations";
#endif
  EXPECT_EQ(plan->arena_data(), arena);
  EXPECT_EQ(outputs.at("prob").raw(), output) << "written in place";
  expect_matches_ref(*plan, outputs, g, inputs, 1e-5);
}

TEST(OnednnPlan, ArenaIsSmallerThanAllActivationsTogether) {
  GraphMaker m;
  std::string x = m.input("x", {1, 16, 32, 32});
  for (int i = 0; i < 6; ++i)
    x = m.node("Conv", "conv" + std::to_string(i), {x, m.weight("w" + std::to_string(i), {16, 16, 3, 3})},
               attributes({{"pads", Ints{1, 1, 1, 1}}}));
  m.output(x);
  auto plan = expect_matches_ref(m.graph());
  const size_t one_activation = 16 * 32 * 32 * sizeof(float);
  // Five intermediate activations, but only two are ever alive at once (plus scratchpads).
  EXPECT_GE(plan->arena_bytes(), 2 * one_activation);
  if (kOnednnHasJitKernels) EXPECT_LT(plan->arena_bytes(), 4 * one_activation);  // arm64: im2col scratchpads
}

TEST(OnednnPlan, EachBatchSizeGetsItsOwnPlan) {
  const Graph g = small_network();
  for (int64_t batch : {1, 3}) {
    const std::map<std::string, Shape> shapes{{"x", {batch, 8, 16, 16}}};
    auto plan = OnednnBackend().compile_plan(g, {.threads = 1, .input_shapes = shapes});
    EXPECT_EQ(plan->input_shapes(), shapes);
    EXPECT_EQ(plan->threads(), 1);
    const TensorMap inputs = signed_random_inputs(g, shapes);
    omp_set_num_threads(2);
    expect_matches_ref(*plan, plan->run(inputs), g, inputs, 1e-5);
    // It ran with the thread count it was compiled for, and leaves the caller's own setting as it was.
    EXPECT_EQ(omp_get_max_threads(), 2) << "a run changed the calling thread's OpenMP setting";
  }
}

TEST(OnednnPlan, WrongInputShapeFailsClearly) {
  const Graph g = small_network();
  auto plan = OnednnBackend().compile(g, {.threads = 0, .input_shapes = {{"x", {2, 8, 16, 16}}}});
  try {
    plan->run({{"x", random_tensor({3, 8, 16, 16}, 1)}});
    FAIL() << "ran";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'x'"), std::string::npos) << message;
    EXPECT_NE(message.find("[3,8,16,16]"), std::string::npos) << message;
    EXPECT_NE(message.find("[2,8,16,16]"), std::string::npos) << message;
  }
  EXPECT_THROW(plan->run({}), Error);
  EXPECT_THROW(plan->run({{"x", random_tensor({2, 8, 16, 16}, 1)}, {"y", Tensor()}}), Error);
  // A dtype is the model's, not the plan's shape: no advice to compile a plan per input shape.
  try {
    plan->run({{"x", Tensor(DType::s8, {2, 8, 16, 16})}});
    FAIL() << "ran";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("input 'x' is s8, but the model's is f32"), std::string::npos) << message;
    EXPECT_EQ(message.find("plan for each input shape"), std::string::npos) << message;
  }
}

// Every op of the IR has a lowering (LSTM was the last): a graph the IR accepts is one onednn can
// compile, and missing_ops() finds nothing to hand to another backend.
TEST(OnednnPlan, LowersEveryOpOfTheIr) {
  const OnednnBackend backend;
  for (const std::string& type : op_registry().types()) {
    Graph g;
    g.nodes.push_back({"n", type, {}, {}, {}});
    EXPECT_TRUE(backend.missing_ops(g).empty()) << type;
  }
}

TEST(OnednnPlan, NamesItsLibrary) { EXPECT_EQ(OnednnBackend().library_version().rfind("oneDNN 2.", 0), 0u); }

TEST(OnednnPlan, GraphOutputsThatAreInputsOrIntermediates) {
  GraphMaker m;
  m.input("x", {2, 3});
  m.node("Relu", "r", {"x"});
  m.node("Sigmoid", "s", {"r"});
  m.output("x").output("r").output("s");
  expect_matches_ref(m.graph());
}

}  // namespace
}  // namespace stride::testing
