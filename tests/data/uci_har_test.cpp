#include "stride/data/uci_har.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/data_test_support.h"
#include "stride/core/error.h"
#include "stride/data/synthesizer.h"

namespace stride::data {
namespace {
namespace fs = std::filesystem;
using testing::expect_error_naming;

// tests/fixtures/uci_har_mini (its README.md gives the values).
fs::path fixture() {
  const char* root = std::getenv("STRIDE_FIXTURES");
  return fs::path(root ? root : "tests/fixtures") / "uci_har_mini";
}

float fixture_value(int window, int channel, int sample) {
  const double v = (window + 1) + (channel + 1) / 10.0 + sample / 1000.0;
  return static_cast<float>(sample % 2 ? -v : v);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

// Line `line` (1-based) of `path` replaced by `replacement`, or removed when it is nullptr.
void edit_line(const fs::path& path, size_t line, const char* replacement) {
  std::istringstream in(read_text(path));
  std::string out;
  size_t n = 0;
  for (std::string l; std::getline(in, l);) {
    if (++n == line) {
      if (replacement) out += std::string(replacement) + "\n";
    } else {
      out += l + "\n";
    }
  }
  write_text(path, out);
}

TEST(UciHar, LoadsTheFixtureAsWritten) {
  ASSERT_TRUE(is_uci_har(fixture())) << fixture();
  const HarWindows train = load_uci_har(fixture(), "train");
  EXPECT_EQ(train.activity_names, (std::vector<std::string>{"WALKING", "WALKING_UPSTAIRS", "WALKING_DOWNSTAIRS",
                                                            "SITTING", "STANDING", "LAYING"}));
  EXPECT_EQ(train.labels, (std::vector<int>{0, 3, 5}));
  EXPECT_EQ(train.subjects, (std::vector<int>{1, 1, 3}));
  ASSERT_EQ(train.signals.shape(), (Shape{3, kHarChannels, kHarWindowSamples}));
  const float* v = train.signals.data<float>();
  for (int w = 0; w < 3; ++w)
    for (int c = 0; c < kHarChannels; ++c)
      for (int s = 0; s < kHarWindowSamples; ++s)
        ASSERT_EQ(v[(w * kHarChannels + c) * kHarWindowSamples + s], fixture_value(w, c, s))
            << "window " << w << " channel " << c << " sample " << s;
  // body_gyro_y of the first window, as its README says.
  EXPECT_FLOAT_EQ(v[4 * kHarWindowSamples + 0], 1.5f);
  EXPECT_FLOAT_EQ(v[4 * kHarWindowSamples + 1], -1.501f);

  const HarWindows test = load_uci_har(fixture(), "test");
  EXPECT_EQ(test.labels, (std::vector<int>{4, 1}));
  EXPECT_EQ(test.subjects, (std::vector<int>{2, 2}));
  EXPECT_EQ(test.signals.data<float>()[(1 * kHarChannels + 8) * kHarWindowSamples + 127], fixture_value(1, 8, 127));
}

TEST(UciHar, NamesTheFilesOfTheLayout) {
  EXPECT_EQ(har_signal_file("train", 0), fs::path("Inertial Signals/body_acc_x_train.txt"));
  EXPECT_EQ(har_signal_file("test", 4), fs::path("Inertial Signals/body_gyro_y_test.txt"));
  EXPECT_EQ(har_channel_name(8), "total_acc_z");
  EXPECT_THROW(har_channel_name(9), Error);
}

TEST(UciHar, TellsTheLayoutFromOthers) {
  testing::TempDir dir;
  EXPECT_FALSE(is_uci_har(dir.path()));
  EXPECT_FALSE(is_uci_har(dir / "absent"));
  EXPECT_FALSE(is_uci_har(testing::tiny_dataset()));
  write_text(dir / "activity_labels.txt", "1 WALKING\n");
  EXPECT_FALSE(is_uci_har(dir.path()));  // no train/y_train.txt
}

// A copy of the fixture that a test may damage.
class DamagedUciHar : public ::testing::Test {
 protected:
  void SetUp() override { fs::copy(fixture(), root(), fs::copy_options::recursive); }
  fs::path root() const { return dir_ / "har"; }
  fs::path signals(const std::string& name) const { return root() / "train" / "Inertial Signals" / name; }
  testing::TempDir dir_;
};

TEST_F(DamagedUciHar, RefusesARaggedRow) {
  const fs::path file = signals("body_gyro_y_train.txt");
  std::string line2;
  {
    std::istringstream in(read_text(file));
    std::getline(in, line2);
    std::getline(in, line2);
  }
  edit_line(file, 2, line2.substr(0, line2.rfind(' ')).c_str());  // the last value cut off
  expect_error_naming([&] { load_uci_har(root(), "train"); }, file.string() + " line 2: 127 values");
  edit_line(file, 2, (line2 + " 1.0").c_str());
  expect_error_naming([&] { load_uci_har(root(), "train"); }, file.string() + " line 2: more than 128 values");
}

TEST_F(DamagedUciHar, RefusesAMissingLabelLine) {
  const fs::path y = root() / "train" / "y_train.txt";
  edit_line(y, 2, "");
  expect_error_naming([&] { load_uci_har(root(), "train"); }, y.string() + " line 2: '' is not an activity label");
}

TEST_F(DamagedUciHar, RefusesMismatchedCounts) {
  const fs::path file = signals("total_acc_z_train.txt");
  edit_line(file, 3, nullptr);
  const fs::path y = root() / "train" / "y_train.txt";
  expect_error_naming([&] { load_uci_har(root(), "train"); },
                      y.string() + " has 3 windows but " + file.string() + " has 2: line 3 of y_train.txt");
  // A label too many: the subjects' file is then the shorter one.
  fs::copy_file(fixture() / "train/Inertial Signals/total_acc_z_train.txt", file, fs::copy_options::overwrite_existing);
  write_text(y, read_text(y) + "2\n");
  expect_error_naming([&] { load_uci_har(root(), "train"); },
                      y.string() + " has 4 windows but " + (root() / "train/subject_train.txt").string() + " has 3");
}

TEST_F(DamagedUciHar, RefusesBadValuesLabelsAndFiles) {
  const fs::path y = root() / "train" / "y_train.txt";
  edit_line(y, 3, "7");
  expect_error_naming([&] { load_uci_har(root(), "train"); },
                      y.string() + " line 3: label 7 is not in activity_labels");
  edit_line(y, 3, "6");

  const fs::path file = signals("body_acc_x_train.txt");
  std::string text = read_text(file);
  text.replace(text.find("1.1020000e+000"), 14, "1.10200x0e+000");
  write_text(file, text);
  expect_error_naming([&] { load_uci_har(root(), "train"); }, file.string() + " line 1, value 3: '1.10200x0e+000'");
  text.replace(text.find("1.10200x0e+000"), 14, "           nan");
  write_text(file, text);
  expect_error_naming([&] { load_uci_har(root(), "train"); }, "line 1, value 3: 'nan' is not a finite number");
  fs::copy_file(fixture() / "train/Inertial Signals/body_acc_x_train.txt", file, fs::copy_options::overwrite_existing);

  fs::remove(root() / "test" / "subject_test.txt");
  expect_error_naming([&] { load_uci_har(root(), "test"); }, (root() / "test" / "subject_test.txt").string());
  fs::remove(signals("body_gyro_z_train.txt"));
  expect_error_naming([&] { load_uci_har(root(), "train"); }, signals("body_gyro_z_train.txt").string());
  expect_error_naming([&] { load_uci_har(root(), "validation"); }, "split 'validation'");

  write_text(root() / "activity_labels.txt", "1 WALKING\n3 SITTING\n");
  expect_error_naming([&] { load_uci_har(root(), "train"); }, "activity_labels.txt line 2: '3 SITTING'");
}

TEST_F(DamagedUciHar, RefusesAnUnfinishedGeneration) {
  write_text(root() / kSynthManifest, "preset: har-mini\nstate: writing\n");
  expect_error_naming([&] { load_uci_har(root(), "train"); }, "is incomplete");
  write_text(root() / kSynthManifest, "preset: har-mini\nstate: complete\n");
  EXPECT_EQ(load_uci_har(root(), "train").labels.size(), 3u);
}

TEST(UciHar, WritesWhatItReads) {
  testing::TempDir dir;
  HarWindows windows = load_uci_har(fixture(), "train");
  // Values that need all of a float's digits.
  float* v = windows.signals.data<float>();
  for (int64_t i = 0; i < windows.signals.numel(); ++i)
    v[i] = static_cast<float>(std::sin(0.37 * i) * 1e-3 * (i % 97 + 1));
  write_uci_har_labels(dir.path(), windows.activity_names);
  write_uci_har_split(dir.path(), "train", windows);
  ASSERT_TRUE(is_uci_har(dir.path()));
  const HarWindows back = load_uci_har(dir.path(), "train");
  EXPECT_EQ(back.activity_names, windows.activity_names);
  EXPECT_EQ(back.labels, windows.labels);
  EXPECT_EQ(back.subjects, windows.subjects);
  EXPECT_EQ(back.signals, windows.signals);  // bit for bit
  EXPECT_EQ(read_text(dir / "train/y_train.txt"), "1\n4\n6\n");
  EXPECT_EQ(read_text(dir / "activity_labels.txt").substr(0, 30), "1 WALKING\n2 WALKING_UPSTAIRS\n3");

  HarWindows bad = windows;
  bad.labels[1] = 6;
  expect_error_naming([&] { write_uci_har_split(dir.path(), "test", bad); }, "window 1: label 6");
  bad = windows;
  bad.signals = Tensor(DType::f32, {3, 9, 64});
  expect_error_naming([&] { write_uci_har_split(dir.path(), "test", bad); }, "expected f32 [N, 9, 128]");
  bad = windows;
  bad.signals.data<float>()[5 * kHarWindowSamples] = std::nanf("");
  expect_error_naming([&] { write_uci_har_split(dir.path(), "test", bad); }, "window 0, body_gyro_z: a non-finite");
  EXPECT_FALSE(fs::exists(dir / "test"));
  expect_error_naming([&] { write_uci_har_labels(dir.path(), {"WALKING", ""}); }, "activity name ''");
}

}  // namespace
}  // namespace stride::data
