// A dataset damaged after it was made: the command that reads it stops with one line naming the
// file, and nothing from the image libraries (libpng's own "libpng error: ..." lines) reaches the
// terminal.
#include <fstream>

#include "support/command_support.h"

namespace stride::testing {
namespace {

namespace fs = std::filesystem;

class DamagedDataset : public CommandTest {};

TEST_F(DamagedDataset, ATruncatedFrameIsOneLineNamingIt) {
  ASSERT_EQ(run_stride({"data", "synth", "--preset", "tiny", "--seed", "1", "-o", path("data")}).exit_code, 0);
  const fs::path frame = fs::path(path("data")) / "001/nm-01/090/001-nm-01-090-001.png";
  ASSERT_TRUE(fs::exists(frame));
  const auto bytes = fs::file_size(frame);
  fs::resize_file(frame, bytes / 2);
  expect_refused({"data", "preview", path("data"), "-o", path("sheet.png")}, frame.string() + ": corrupt");
  std::ofstream(frame, std::ios::trunc) << "\x89PNG\r\n\x1a\n not an image";
  expect_refused({"data", "preview", path("data"), "-o", path("sheet.png")}, "cannot read image " + frame.string());
}

}  // namespace
}  // namespace stride::testing
