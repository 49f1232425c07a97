#include "stride/eval/matrix_view.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stride::eval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(MatrixView, ReadsTensorsAndVectorsRowMajor) {
  const Tensor t = Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  const MatrixView m(t, "features");
  EXPECT_EQ(m.rows(), 2);
  EXPECT_EQ(m.cols(), 3);
  EXPECT_THAT(m.row(1), ElementsAre(4, 5, 6));
  EXPECT_THAT(m.slice(1, 2).row(0), ElementsAre(4, 5, 6));
  const std::vector<float> v{1, 2, 3, 4};
  EXPECT_THAT(MatrixView(v, 2, 2, "features").row(1), ElementsAre(3, 4));
}

TEST(MatrixView, GathersRowsInTheOrderGiven) {
  const std::vector<float> v{1, 2, 3, 4, 5, 6};
  const std::vector<size_t> rows{2, 0, 2};
  const Matrix g = gather_rows(MatrixView(v, 3, 2, "m"), rows);
  EXPECT_EQ(g.rows, 3);
  EXPECT_THAT(g.values, ElementsAre(5, 6, 1, 2, 5, 6));
  const std::vector<size_t> outside{3};
  EXPECT_THAT([&] { gather_rows(MatrixView(v, 3, 2, "m"), outside); },
              ThrowsMessage<Error>(HasSubstr("row 3 is outside a matrix of 3 rows")));
}

TEST(MatrixView, RefusesWrongShapesAndTypesClearly) {
  const std::vector<float> v{1, 2, 3, 4};
  EXPECT_THAT([&] { MatrixView(v, 3, 2, "probe features"); },
              ThrowsMessage<Error>(HasSubstr("probe features: a [3, 2] matrix does not match the 4 values given")));
  EXPECT_THAT([&] { MatrixView(v, int64_t{1} << 62, 4, "x"); }, ThrowsMessage<Error>(HasSubstr("does not match")));
  EXPECT_THAT([&] { MatrixView(v, -1, 2, "x"); }, ThrowsMessage<Error>(HasSubstr("must not be negative")));
  const Tensor s64 = Tensor::from_vector<int64_t>({2, 2}, {1, 2, 3, 4});
  EXPECT_THAT(
      [&] { MatrixView(s64, "gallery features"); },
      ThrowsMessage<Error>(HasSubstr("gallery features: expected an f32 tensor of shape [N, D], got s64 [2,2]")));
}

}  // namespace
}  // namespace stride::eval
