// How the engine avoids oneDNN's reference kernels: it tries each way of building a primitive and
// keeps the first that gets a fast kernel; results that must match their inputs' layout get it.
#include <gtest/gtest.h>

#include "stride/engine/onednn/dnnl_util.h"

namespace stride::onednn {
namespace {

// A primitive descriptor as first_fast_kernel sees it: only its implementation's name.
struct FakeDesc {
  std::string implementation;
  std::string impl_info_str() const { return implementation; }
};

FakeDesc make_or_refuse(const std::vector<std::string>& kernels, size_t k) {
  if (kernels[k].empty()) throw dnnl::error(dnnl_unimplemented, "no kernel for this candidate");
  return {kernels[k]};
}

TEST(OnednnKernelChoice, TellsReferenceKernelsFromFastOnes) {
  EXPECT_TRUE(is_reference_implementation("ref:any"));
  EXPECT_TRUE(is_reference_implementation("ref"));
  EXPECT_FALSE(is_reference_implementation("jit:avx2"));
  EXPECT_FALSE(is_reference_implementation("brgconv:avx512_core"));
  // oneDNN's generic RNN driver is called "ref" but runs its jit GEMMs; only for an rnn step.
  EXPECT_FALSE(is_reference_step("rnn", "ref"));
  EXPECT_FALSE(is_reference_step("rnn", "brgemm"));
  EXPECT_TRUE(is_reference_step("convolution", "ref"));
  EXPECT_TRUE(is_reference_step("rnn", "gemm:ref"));
  EXPECT_FALSE(is_reference_implementation("x64:gemm:jit"));
  // A convolution as a GEMM is only as fast as its GEMM: Debian's arm64 oneDNN names every one "gemm:ref".
  EXPECT_TRUE(is_reference_implementation("gemm:ref"));
  EXPECT_TRUE(is_reference_implementation("ref_int8:any"));
  EXPECT_FALSE(is_reference_implementation("gemm:jit"));
  EXPECT_FALSE(is_reference_implementation("simple:any"));
  EXPECT_FALSE(is_reference_implementation("jit:uni_reduction"));  // "ref" inside a part is not a prefix
}

TEST(OnednnKernelChoice, SkipsReferenceAndRefusedCandidates) {
  const std::vector<std::string> kernels{"ref:any", "", "jit:avx2", "brgconv:avx512_core"};
  const auto [pd, k] =
      first_fast_kernel<FakeDesc>(kernels.size(), [&](size_t c) { return make_or_refuse(kernels, c); });
  EXPECT_EQ(k, 2u);
  EXPECT_EQ(pd.implementation, "jit:avx2");
}

TEST(OnednnKernelChoice, KeepsTheFirstMadeWhenAllAreReference) {
  const std::vector<std::string> kernels{"", "ref:any", "ref"};
  const auto [pd, k] =
      first_fast_kernel<FakeDesc>(kernels.size(), [&](size_t c) { return make_or_refuse(kernels, c); });
  EXPECT_EQ(k, 1u);
  EXPECT_EQ(pd.implementation, "ref:any");
}

TEST(OnednnKernelChoice, RethrowsWhenNoCandidateCanBeMade) {
  const std::vector<std::string> kernels{"", ""};
  EXPECT_THROW(first_fast_kernel<FakeDesc>(kernels.size(), [&](size_t c) { return make_or_refuse(kernels, c); }),
               dnnl::error);
}

TEST(OnednnKernelChoice, LikeLayoutKeepsThePermutationOfAxes) {
  const memory::desc acb({2, 3, 4}, memory::data_type::f32, memory::format_tag::acb);
  EXPECT_EQ(like_layout(acb, {2, 3, 10}), memory::desc({2, 3, 10}, memory::data_type::f32, memory::format_tag::acb));
}

TEST(OnednnKernelChoice, LikeLayoutKeepsChannelBlocksAndPadsThem) {
  const memory::desc blocked({1, 16, 5, 5}, memory::data_type::f32, memory::format_tag::nChw8c);
  const memory::desc expected({1, 20, 3, 7}, memory::data_type::f32, memory::format_tag::nChw8c);
  EXPECT_EQ(like_layout(blocked, {1, 20, 3, 7}), expected);
  EXPECT_EQ(expected.get_size(), 1u * 24 * 3 * 7 * sizeof(float));
}

}  // namespace
}  // namespace stride::onednn
