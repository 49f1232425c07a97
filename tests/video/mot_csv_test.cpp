#include "stride/video/mot_csv.h"

#include <gtest/gtest.h>

#include <fstream>

#include "../support/data_test_support.h"

namespace stride::video {
namespace {

using data::testing::expect_error_naming;
using data::testing::TempDir;

TEST(MotCsv, WritesTheCommunityFormatAndReadsItBack) {
  const std::vector<MotRow> rows = {{1, 7, {10, 20, 30, 40}, 1.0}, {2, 7, {12.5, 20, 30, 41}, 0.5}};
  EXPECT_EQ(mot_csv_text(rows).substr(0, mot_csv_text(rows).find('\n')), "1,7,10.00,20.00,30.00,40.00,1.000,-1,-1,-1");
  TempDir dir;
  write_mot_csv(dir / "t.csv", rows);
  const auto back = read_mot_csv(dir / "t.csv");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].frame, 2);
  EXPECT_EQ(back[1].id, 7);
  EXPECT_DOUBLE_EQ(back[1].box.x, 12.5);
  EXPECT_DOUBLE_EQ(back[1].box.h, 41);
  EXPECT_DOUBLE_EQ(back[1].conf, 0.5);
}

TEST(MotCsv, ReadsSixColumnRowsAndRefusesMalformedOnesByLine) {
  TempDir dir;
  std::ofstream(dir / "ok.csv") << "3,1,0,0,10,10\n\n4,1,1,1,10,10,0.9,1,0.8\n";
  const auto rows = read_mot_csv(dir / "ok.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_DOUBLE_EQ(rows[0].conf, 1.0);
  EXPECT_EQ(rows[1].frame, 4);
  std::ofstream(dir / "short.csv") << "1,1,0,0,10,10\n2,1,0,0\n";
  expect_error_naming([&] { read_mot_csv(dir / "short.csv"); }, "short.csv:2");
  std::ofstream(dir / "word.csv") << "1,one,0,0,10,10\n";
  expect_error_naming([&] { read_mot_csv(dir / "word.csv"); }, "'one' is not a number");
  std::ofstream(dir / "zero.csv") << "0,1,0,0,10,10\n";
  expect_error_naming([&] { read_mot_csv(dir / "zero.csv"); }, "counted from 1");
  expect_error_naming([&] { read_mot_csv(dir / "absent.csv"); }, "absent.csv");
}

TEST(MotCsv, IntersectionOverUnion) {
  EXPECT_DOUBLE_EQ(iou({0, 0, 10, 10}, {0, 0, 10, 10}), 1.0);
  EXPECT_DOUBLE_EQ(iou({0, 0, 10, 10}, {5, 0, 10, 10}), 50.0 / 150.0);
  EXPECT_DOUBLE_EQ(iou({0, 0, 10, 10}, {10, 0, 10, 10}), 0.0);
  EXPECT_DOUBLE_EQ(iou({0, 0, 0, 0}, {0, 0, 0, 0}), 0.0);
}

}  // namespace
}  // namespace stride::video
