// `stride gallery`, `stride identify` and `stride eval --open-set` as a user runs them on a tiny
// generated dataset: the gallery file and its WAL never hold a name in clear, forget leaves nothing
// of the person, and a wrong key, another model or a bad option is refused in one line.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/command_support.h"

namespace stride::testing {
namespace {

// The dataset (8 subjects, 6 to 8 its test subjects) and two models with different
// weights, made once for the suite.
class GalleryCommand : public CommandTest {
 protected:
  static void SetUpTestSuite() {
    shared_ = std::filesystem::temp_directory_path() / ("stride_GalleryCommand_" + std::to_string(getpid()));
    std::filesystem::create_directories(shared_);
    ASSERT_EQ(run_stride({"data", "synth", "--preset", "tiny", "--seed", "1", "-o", data()}).exit_code, 0);
    for (const auto& [seed, name] : {std::pair{"1", model()}, std::pair{"2", other_model()}})
      ASSERT_EQ(run_stride({"zoo", "build", "gaitset", "--width-mult", "0.125", "--seed", seed, "-o", name}).exit_code,
                0);
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(shared_); }
  static std::string data() { return (shared_ / "data").string(); }
  static std::string model() { return (shared_ / "g.onnx").string(); }
  static std::string other_model() { return (shared_ / "g2.onnx").string(); }

  Outcome gallery(const std::string& verb, std::vector<std::string> args) const {
    args.insert(args.begin(), {"gallery", verb, path("g.db"), "--key-file", path("g.key")});
    return run_stride(args);
  }
  Outcome enroll(const std::string& subject, const std::string& name) const {
    return gallery("enroll", {"--model", model(), "--data", data(), "--subject", subject, "--name", name, "--backend",
                              "onednn", "--consent", "form-" + subject});
  }
  std::string stored_bytes() const {
    std::string all;
    for (const std::string& file : {path("g.db"), path("g.db") + "-wal"}) {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      all += bytes.str();
    }
    return all;
  }

  static std::filesystem::path shared_;
};

std::filesystem::path GalleryCommand::shared_;

TEST_F(GalleryCommand, EnrollListIdentifyAndForgetLeaveNoNameInTheFile) {
  Outcome o = gallery("init", {"--model", model()});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(std::filesystem::file_size(path("g.key")), 32u);
  ASSERT_EQ(enroll("6", "Ada Lovelace").exit_code, 0);
  o = enroll("7", "Grace Hopper");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("8 templates"), std::string::npos) << o.output;  // NM#1-4 in two views

  o = gallery("list", {});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("Ada Lovelace"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("Grace Hopper"), std::string::npos) << o.output;
  const std::string listed = o.output;
  std::string bytes = stored_bytes();
  EXPECT_NE(bytes.find("form-6"), std::string::npos);  // the consent reference, in clear by design
  EXPECT_EQ(bytes.find("Ada Lovelace"), std::string::npos);
  EXPECT_EQ(bytes.find("Grace Hopper"), std::string::npos);

  // Every probe of subject 6 against a threshold no cosine reaches: all unknown; below any, all named.
  o = run_stride({"identify", path("g.db"), "--key-file", path("g.key"), "--model", model(), "--data", data(),
                  "--subject", "6", "--threshold", "1.5", "--backend", "onednn"});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("named 0 of 12 probes"), std::string::npos) << o.output;
  o = run_stride({"identify", path("g.db"), "--key-file", path("g.key"), "--model", model(), "--data", data(),
                  "--subject", "6", "--threshold", "-1.5", "--backend", "onednn"});
  EXPECT_NE(o.output.find("named 12 of 12 probes"), std::string::npos) << o.output;

  // Identifying stored nothing about the probes: the same persons with the same templates.
  EXPECT_EQ(gallery("list", {}).output, listed);

  o = gallery("forget", {"--name", "Ada Lovelace"});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  o = gallery("list", {});
  EXPECT_EQ(o.output.find("Ada Lovelace"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("Grace Hopper"), std::string::npos) << o.output;
  bytes = stored_bytes();
  EXPECT_EQ(bytes.find("form-6"), std::string::npos);
  EXPECT_NE(bytes.find("form-7"), std::string::npos);
}

TEST_F(GalleryCommand, AWrongKeyAnotherModelAndBadOptionsAreRefusedInOneLine) {
  ASSERT_EQ(gallery("init", {"--model", model()}).exit_code, 0);
  ASSERT_EQ(enroll("6", "Ada").exit_code, 0);
  ASSERT_EQ(run_stride({"gallery", "init", path("other.db"), "--key-file", path("other.key")}).exit_code, 0);
  expect_refused({"gallery", "list", path("g.db"), "--key-file", path("other.key")},
                 "the key in " + path("other.key") + " is not this gallery's key");
  std::ofstream(path("short.key")) << "too short";
  expect_refused({"gallery", "list", path("g.db"), "--key-file", path("short.key")}, "9 bytes, a gallery key is 32");
  expect_refused({"gallery", "enroll", path("g.db"), "--key-file", path("g.key"), "--model", other_model(), "--data",
                  data(), "--subject", "7"},
                 "this gallery holds model gaitset");
  expect_refused({"gallery", "enroll", path("g.db"), "--key-file", path("g.key"), "--model", model(), "--data", data(),
                  "--subject", "7", "--retain", "1y"},
                 "--retain 1y: expected a number of days", kUsage);
  expect_refused({"gallery", "enroll", path("g.db"), "--key-file", path("g.key"), "--model", model(), "--data", data(),
                  "--subject", "seven"},
                 "--subject seven: a dataset subject is its number", kUsage);
  expect_refused({"gallery", "forget", path("g.db"), "--key-file", path("g.key"), "--name", "Nobody"},
                 "no one enrolled under the name 'Nobody'");
  expect_refused({"identify", path("g.db"), "--key-file", path("g.key"), "--model", model(), "--data", data()},
                 "run 'stride gallery calibrate' first");
  expect_refused({"gallery", "init", path("g.db"), "--key-file", path("g.key")}, "exists already");
}

TEST_F(GalleryCommand, CalibrateStoresAThresholdThatIdentifyUses) {
  ASSERT_EQ(gallery("init", {}).exit_code, 0);
  ASSERT_EQ(enroll("06", "Ada").exit_code, 0);  // the same subject as 6
  // 7 subjects not enrolled, 12 probe recordings each: 84 searches, too few for 1 %.
  Outcome o = gallery("calibrate", {"--model", model(), "--data", data(), "--fpir", "0.01", "--backend", "onednn"});
  EXPECT_EQ(o.exit_code, 1) << o.output;
  EXPECT_NE(o.output.find("--fpir 0.01 needs at least 100 non-mated searches"), std::string::npos) << o.output;
  o = gallery("calibrate", {"--model", model(), "--data", data(), "--fpir", "0.1", "--backend", "onednn"});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("on 84 non-mated searches"), std::string::npos) << o.output;
  o = gallery("list", {});
  EXPECT_NE(o.output.find("for FPIR 0.1 with 1 persons enrolled"), std::string::npos) << o.output;
  o = run_stride({"identify", path("g.db"), "--key-file", path("g.key"), "--model", model(), "--data", data(),
                  "--subject", "7", "--backend", "onednn", "--json", path("who.json")});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("12 probe recordings"), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("threshold was set with"), std::string::npos) << o.output;  // the gallery has not changed
  ASSERT_EQ(gallery("forget", {"--subject", "6"}).exit_code, 0);
  o = run_stride({"identify", path("g.db"), "--key-file", path("g.key"), "--model", model(), "--data", data(),
                  "--subject", "7", "--backend", "onednn", "--threshold", "0.5"});
  EXPECT_NE(o.output.find("no one is enrolled"), std::string::npos) << o.output;
  EXPECT_TRUE(std::filesystem::exists(path("who.json")));
}

TEST_F(GalleryCommand, EvalOpenSetSaysWhatItCannotMeasure) {
  const Outcome o = run_stride({"eval", model(), "--data", data(), "--open-set", "--backend", "onednn"});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  // Test subjects 6, 7 and 8: subject 7 calibrates with 12 searches, enough for 10 % only.
  EXPECT_NE(o.output.find("0.1 %  not measurable: 12 calibration searches"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("1 %  not measurable"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("closed-set rank-1"), std::string::npos) << o.output;
  expect_refused({"eval", model(), "--data", data(), "--open-set", "--classifier", "softmax"},
                 "--classifier does not apply to --open-set", kUsage);
}

}  // namespace
}  // namespace stride::testing
