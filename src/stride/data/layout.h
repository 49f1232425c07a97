#pragma once
// Folder and file names of the two dataset layouts, written by the generator and checked by the
// loaders (docs/data.md):
//   CASIA-B   ID/COND-SEQ/VIEW/ID-COND-SEQ-VIEW-FRAME.png   001/nm-01/090/001-nm-01-090-037.png
//             conditions nm, bg, cl; views 000..180
//   TUM-GAID  ID/COND-SEQ/FRAME.png                          001/n-01/037.png
//             conditions n (normal), b (backpack), s (coating shoes)
// Subjects, sequences and frames are numbered from 1.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "stride/data/condition.h"
#include "stride/data/synth_config.h"

namespace stride::data {

// "nm", "bg", "cl" (CASIA-B) or "n", "b", "s" (TUM-GAID); throws when the layout has no such condition.
std::string_view condition_code(DatasetLayout layout, Condition condition);
std::string_view layout_name(DatasetLayout layout);  // "CASIA-B", "TUM-GAID"

std::string subject_folder(int subject);                                             // "001"
std::string sequence_folder(DatasetLayout layout, Condition condition, int number);  // "nm-01", "n-01"
std::string view_folder(int view);                                                   // "090"
std::string casia_b_frame_name(int subject, Condition condition, int sequence, int view, int frame);
std::string tum_gaid_frame_name(int frame);  // "037.png"

// Parsers accept exactly what the writers produce and return nothing for any other name.
struct SequenceName {
  Condition condition;
  int number;
};
struct CasiaBFrameName {
  int subject;
  Condition condition;
  int sequence;
  int view;
  int frame;
};
std::optional<int> parse_subject_folder(std::string_view name);
std::optional<SequenceName> parse_sequence_folder(DatasetLayout layout, std::string_view name);
std::optional<int> parse_view_folder(std::string_view name);
std::optional<CasiaBFrameName> parse_casia_b_frame_name(std::string_view name);
std::optional<int> parse_tum_gaid_frame_name(std::string_view name);

// Which layout the dataset under `root` has, told by the name of its first sequence folder
// ("nm-01" or "n-01"). Throws stride::Error naming the folder when it fits neither.
DatasetLayout detect_layout(const std::filesystem::path& root);

}  // namespace stride::data
