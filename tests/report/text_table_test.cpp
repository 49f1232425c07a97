#include <gtest/gtest.h>

#include "stride/core/error.h"
#include "stride/report/text_table.h"

namespace stride {
namespace {

TEST(TextTable, AlignsColumnsToTheWidestCell) {
  TextTable t({{"op", TextTable::Align::left}, {"params"}});
  t.add_row({"Conv", "235,296"});
  t.add_separator();
  t.add_row({"Gemm", "1"});
  EXPECT_EQ(t.render(),
            "op     params\n"
            "-------------\n"
            "Conv  235,296\n"
            "-------------\n"
            "Gemm        1\n");
  EXPECT_THROW(t.add_row({"only one"}), Error);
  EXPECT_EQ(t.render_markdown(),
            "| op | params |\n"
            "| --- | ---: |\n"
            "| Conv | 235,296 |\n"
            "| Gemm | 1 |\n");
}

TEST(TextTable, CountsCharactersNotBytes) {
  TextTable t({{"CI"}});
  t.add_row({"1.0–2.0"});
  t.add_row({"10.0–20.0"});
  EXPECT_EQ(t.render(),
            "       CI\n"
            "---------\n"
            "  1.0–2.0\n"
            "10.0–20.0\n");
}

TEST(Numbers, FormatAsPeopleReadThem) {
  EXPECT_EQ(with_thousands(2594592), "2,594,592");
  EXPECT_EQ(with_thousands(-1000), "-1,000");
  EXPECT_EQ(with_thousands(999), "999");
  EXPECT_EQ(with_si_prefix(2.03e9), "2.03 G");
  EXPECT_EQ(with_si_prefix(680000), "680.00 k");
  EXPECT_EQ(with_si_prefix(12), "12.00 ");
}

}  // namespace
}  // namespace stride
