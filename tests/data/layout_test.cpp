#include "stride/data/layout.h"

#include <gtest/gtest.h>

#include "support/data_test_support.h"
#include "stride/core/error.h"

namespace stride::data {
namespace {

TEST(Layout, WritesTheCasiaBNames) {
  EXPECT_EQ(subject_folder(1), "001");
  EXPECT_EQ(sequence_folder(DatasetLayout::casia_b, Condition::normal, 1), "nm-01");
  EXPECT_EQ(sequence_folder(DatasetLayout::casia_b, Condition::bag, 2), "bg-02");
  EXPECT_EQ(sequence_folder(DatasetLayout::casia_b, Condition::coat, 1), "cl-01");
  EXPECT_EQ(view_folder(90), "090");
  EXPECT_EQ(casia_b_frame_name(1, Condition::normal, 1, 90, 37), "001-nm-01-090-037.png");
  EXPECT_THROW(condition_code(DatasetLayout::casia_b, Condition::shoe_covers), Error);
}

TEST(Layout, WritesTheTumGaidNames) {
  EXPECT_EQ(sequence_folder(DatasetLayout::tum_gaid, Condition::normal, 6), "n-06");
  EXPECT_EQ(sequence_folder(DatasetLayout::tum_gaid, Condition::backpack, 1), "b-01");
  EXPECT_EQ(sequence_folder(DatasetLayout::tum_gaid, Condition::shoe_covers, 2), "s-02");
  EXPECT_EQ(tum_gaid_frame_name(7), "007.png");
  EXPECT_THROW(condition_code(DatasetLayout::tum_gaid, Condition::coat), Error);
}

TEST(Layout, ParsesExactlyWhatItWrites) {
  const auto frame = parse_casia_b_frame_name("124-cl-02-180-105.png");
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->subject, 124);
  EXPECT_EQ(frame->condition, Condition::coat);
  EXPECT_EQ(frame->sequence, 2);
  EXPECT_EQ(frame->view, 180);
  EXPECT_EQ(frame->frame, 105);
  for (const char* bad : {"01-nm-01-090-037.png", "001-nm-1-090-037.png", "001-xx-01-090-037.png",
                          "001-nm-01-190-037.png", "001-nm-01-090-037.jpg", "001-nm-01-090-000.png",
                          "001-nm-01-090-037-1.png", "001-nm-01-090.png", "000-nm-01-090-001.png", ".png"})
    EXPECT_FALSE(parse_casia_b_frame_name(bad)) << bad;

  EXPECT_EQ(parse_subject_folder("007"), 7);
  EXPECT_FALSE(parse_subject_folder("07"));
  EXPECT_FALSE(parse_subject_folder("abc"));
  EXPECT_FALSE(parse_subject_folder("000"));
  const auto seq = parse_sequence_folder(DatasetLayout::casia_b, "bg-02");
  ASSERT_TRUE(seq);
  EXPECT_EQ(seq->condition, Condition::bag);
  EXPECT_EQ(seq->number, 2);
  EXPECT_FALSE(parse_sequence_folder(DatasetLayout::casia_b, "n-01"));
  EXPECT_FALSE(parse_sequence_folder(DatasetLayout::casia_b, "nm01"));
  EXPECT_FALSE(parse_sequence_folder(DatasetLayout::casia_b, "nm-01-1"));
  EXPECT_FALSE(parse_sequence_folder(DatasetLayout::tum_gaid, "nm-01"));
  EXPECT_TRUE(parse_sequence_folder(DatasetLayout::tum_gaid, "s-02"));
  EXPECT_EQ(parse_view_folder("000"), 0);
  EXPECT_FALSE(parse_view_folder("181"));
  EXPECT_FALSE(parse_view_folder("90"));
  EXPECT_EQ(parse_tum_gaid_frame_name("030.png"), 30);
  EXPECT_FALSE(parse_tum_gaid_frame_name("30.png"));
}

TEST(Layout, DetectsTheLayoutFromTheFirstSequenceFolder) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "casia/001/nm-01/090");
  std::filesystem::create_directories(dir / "tum/001/b-01");
  std::filesystem::create_directories(dir / "bad/001/walk-01");
  std::filesystem::create_directories(dir / "empty");
  EXPECT_EQ(detect_layout(dir / "casia"), DatasetLayout::casia_b);
  EXPECT_EQ(detect_layout(dir / "tum"), DatasetLayout::tum_gaid);
  testing::expect_error_naming([&] { detect_layout(dir / "bad"); }, (dir / "bad/001/walk-01").string());
  testing::expect_error_naming([&] { detect_layout(dir / "empty"); }, (dir / "empty").string());
  testing::expect_error_naming([&] { detect_layout(dir / "missing"); }, (dir / "missing").string());
}

}  // namespace
}  // namespace stride::data
