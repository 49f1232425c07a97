#include "stride/core/memory_budget.h"

#include <gtest/gtest.h>

#include "stride/core/error.h"
#include "stride/core/tensor.h"

namespace stride {
namespace {

// Restores the default limit when a test ends, whatever it set.
struct LimitScope {
  explicit LimitScope(uint64_t bytes) { set_memory_limit(bytes); }
  ~LimitScope() { set_memory_limit(0); }
};

TEST(MemoryBudget, ParsesSizesWithBinaryUnits) {
  EXPECT_EQ(parse_byte_size("123"), 123u);
  EXPECT_EQ(parse_byte_size("4K"), 4096u);
  EXPECT_EQ(parse_byte_size("512M"), 512u << 20);
  EXPECT_EQ(parse_byte_size("8G"), uint64_t{8} << 30);
  EXPECT_EQ(parse_byte_size("1.5GiB"), uint64_t{3} << 29);
  for (const char* bad : {"", "0", "-1G", "8Q", "G", "1e30", "nan"}) EXPECT_THROW(parse_byte_size(bad), Error) << bad;
}

TEST(MemoryBudget, DefaultIsAFractionOfTheMachine) {
  set_memory_limit(0);
  EXPECT_GT(memory_limit(), uint64_t{64} << 20);
  EXPECT_EQ(byte_size_str(100), "100 B");
  EXPECT_EQ(byte_size_str(uint64_t{3} << 29), "1.50 GiB");
}

TEST(MemoryBudget, RefusesWithTheFigureAndTheLimit) {
  const LimitScope limit(uint64_t{1} << 20);
  EXPECT_NO_THROW(check_memory(uint64_t{1} << 20, "exactly the limit"));
  try {
    check_memory((uint64_t{1} << 20) + 1, "one byte more");
    FAIL() << "not refused";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("one byte more needs 1.00 MiB"), std::string::npos) << m;
    EXPECT_NE(m.find("memory limit of 1.00 MiB"), std::string::npos) << m;
  }
  // A tensor is checked before its bytes are allocated.
  EXPECT_THROW(Tensor(DType::f32, {1024, 1024}), Error);
  EXPECT_NO_THROW(Tensor(DType::f32, {256, 1024}));
}

}  // namespace
}  // namespace stride
