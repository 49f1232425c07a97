// A graph whose activations double 40 times (2^40 × 4 KiB at the end) is refused by the memory
// budget before anything is allocated — at compile time on onednn (its arena is planned then), at
// the first run on ref — instead of growing until the machine runs out of memory.
#include "onednn/onednn_test_support.h"
#include "stride/core/memory_budget.h"

namespace stride::testing {

namespace {

Graph doubling_graph(int doublings) {
  GraphMaker m;
  std::string x = m.input("x", {1, 1024});
  for (int i = 0; i < doublings; ++i) x = m.node("Concat", "c" + std::to_string(i), {x, x}, attributes({{"axis", int64_t{1}}}));
  m.output(x);
  return m.graph();
}

TEST(MemoryLimit, AGraphThatOutgrowsTheMachineIsRefusedBeforeAllocating) {
  const Graph g = doubling_graph(40);
  try {
    OnednnBackend().compile(g, {});
    FAIL() << "compiled";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("more than the memory limit"), std::string::npos) << e.what();
  }
  auto plan = RefBackend().compile(g, {});
  try {
    plan->run({{"x", random_tensor({1, 1024}, 1)}});
    FAIL() << "ran";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("on ref with these inputs"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("more than the memory limit"), std::string::npos) << e.what();
  }
}

TEST(MemoryLimit, ASmallerLimitRefusesWhatTheDefaultAllows) {
  const Graph g = doubling_graph(8);  // 1 MiB at the end
  EXPECT_NO_THROW(OnednnBackend().compile(g, {}));
  set_memory_limit(256 << 10);
  EXPECT_THROW(OnednnBackend().compile(g, {}), Error);
  EXPECT_THROW(RefBackend().compile(g, {})->run({{"x", random_tensor({1, 1024}, 1)}}), Error);
  set_memory_limit(0);
}

}  // namespace
}  // namespace stride::testing
