// Every way a model file can be broken must end in a stride::Error that names the file and the
// fault -- never a crash, a hang or a huge allocation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "onnx/onnx_builders.h"
#include "onnx/temp_dir.h"
#include "stride/core/atomic_file.h"
#include "stride/core/random.h"
#include "stride/onnx/onnx_export.h"
#include "stride/onnx/onnx_import.h"

namespace stride {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::TempDir;
using ::testing::ThrowsMessage;

// x -> Relu -> Relu -> y, with a weight and metadata so that every top-level field is present.
onnx::ModelProto small_model() {
  onnx::ModelProto m = testing::make_model(13);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "x", {"batch", 4});
  testing::add_output(g, "y", {"batch", 4});
  testing::add_initializer(g, testing::raw_float_tensor("bias", {4}, {1, 2, 3, 4}));
  testing::add_node(g, "Add", {"x", "bias"}, {"a"}, "add");
  testing::add_node(g, "Relu", {"a"}, {"y"}, "relu");
  auto* prop = m.add_metadata_props();
  prop->set_key("k");
  prop->set_value("v");
  return m;
}

void expect_refused(const onnx::ModelProto& m, std::initializer_list<std::string> fragments) {
  try {
    parse_onnx(testing::bytes_of(m), "broken.onnx");
    ADD_FAILURE() << "the model was accepted";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_THAT(message, HasSubstr("'broken.onnx'"));
    for (const auto& f : fragments) EXPECT_THAT(message, HasSubstr(f));
  }
}

TEST(MalformedModel, EveryTruncationIsRefusedOrLosesData) {
  const onnx::ModelProto model = small_model();
  const std::string bytes = testing::bytes_of(model);
  const Graph whole = parse_onnx(bytes, "whole.onnx");
  // Protobuf writes fields in field-number order; the graph (field 7) ends before opset_import
  // (8) and metadata_props (14). A cut inside or before the graph always breaks the message; a cut
  // between later fields can leave a shorter but well-formed message, which must then differ.
  const size_t graph_end = bytes.find(model.graph().SerializeAsString()) + model.graph().ByteSizeLong();
  ASSERT_LT(graph_end, bytes.size());
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    const std::string_view prefix(bytes.data(), cut);
    try {
      const Graph g = parse_onnx(prefix, "cut.onnx");
      EXPECT_GE(cut, graph_end) << "a cut at " << cut << " inside the graph was accepted";
      EXPECT_NE(g, whole) << "cut at " << cut;
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("'cut.onnx'"));
    }
  }
}

TEST(MalformedModel, TruncatedFileIsRefused) {
  TempDir dir;
  const std::string bytes = testing::bytes_of(small_model());
  const auto path = dir / "truncated.onnx";
  write_file_atomically(path, bytes.substr(0, bytes.size() / 2));
  EXPECT_THAT([&] { load_onnx(path); },
              ThrowsMessage<Error>(AllOf(HasSubstr("truncated.onnx"), HasSubstr("truncated or corrupt"))));
}

TEST(MalformedModel, RandomBytesAreRefused) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    Random rng(seed);
    std::string bytes(static_cast<size_t>(1 + rng.next_u64() % 4096), '\0');
    for (char& c : bytes) c = static_cast<char>(rng.next_u64());
    EXPECT_THROW(parse_onnx(bytes, "random.onnx"), Error) << "seed " << seed;
  }
}

TEST(MalformedModel, EmptyAndMissingFilesAreRefused) {
  TempDir dir;
  const auto empty = dir / "empty.onnx";
  write_file_atomically(empty, "");
  EXPECT_THAT([&] { load_onnx(empty); }, ThrowsMessage<Error>(AllOf(HasSubstr("empty.onnx"), HasSubstr("empty"))));
  EXPECT_THAT([&] { load_onnx(dir / "missing.onnx"); }, ThrowsMessage<Error>(HasSubstr("missing.onnx")));
  EXPECT_THAT([&] { load_onnx(dir.path()); }, ThrowsMessage<Error>(HasSubstr("directory")));
}

TEST(MalformedModel, FilesOverProtobufsLimitAreRefusedBeforeReading) {
  TempDir dir;
  const auto path = dir / "huge.onnx";
  write_file_atomically(path, "");
  std::filesystem::resize_file(path, uintmax_t{3} << 30);  // sparse: takes no disk space
  EXPECT_THAT([&] { load_onnx(path); }, ThrowsMessage<Error>(AllOf(HasSubstr("huge.onnx"), HasSubstr("2 GiB"))));
}

TEST(MalformedModel, NotAnOnnxModel) {
  onnx::ModelProto no_version = small_model();
  no_version.clear_ir_version();
  expect_refused(no_version, {"ir_version"});
  onnx::ModelProto no_graph = small_model();
  no_graph.clear_graph();
  expect_refused(no_graph, {"no graph"});
}

TEST(MalformedModel, CycleIsRefused) {
  onnx::ModelProto m = small_model();
  m.mutable_graph()->mutable_node(0)->set_input(0, "y");  // add reads relu's output, relu reads add's
  expect_refused(m, {"cycle"});
}

TEST(MalformedModel, DanglingInputIsRefused) {
  onnx::ModelProto m = small_model();
  m.mutable_graph()->mutable_node(1)->set_input(0, "nowhere");
  expect_refused(m, {"'relu'", "'nowhere'"});
}

TEST(MalformedModel, OutputThatNothingProducesIsRefused) {
  onnx::ModelProto m = small_model();
  testing::add_output(*m.mutable_graph(), "ghost", {1});
  expect_refused(m, {"'ghost'"});
}

TEST(MalformedModel, EveryUnsupportedOpIsListedWithItsNodes) {
  onnx::ModelProto m = small_model();
  auto& g = *m.mutable_graph();
  testing::add_node(g, "Frobnicate", {"y"}, {"f1"}, "frob_a");
  testing::add_node(g, "Gizmo", {"f1"}, {"g1"}, "gizmo_a");
  testing::add_node(g, "Frobnicate", {"g1"}, {"f2"}, "frob_b");
  expect_refused(m, {"Frobnicate (used by 'frob_a', 'frob_b')", "Gizmo (used by 'gizmo_a')"});
}

TEST(MalformedModel, BadInitializersAreRefusedByName) {
  onnx::ModelProto huge = small_model();
  *huge.mutable_graph()->mutable_initializer(0) = testing::raw_float_tensor("bias", {1000000, 1000000}, {1.0f});
  expect_refused(huge, {"initializer 'bias'", "GiB"});

  onnx::ModelProto short_data = small_model();
  *short_data.mutable_graph()->mutable_initializer(0) = testing::raw_float_tensor("bias", {4}, {1.0f, 2.0f});
  expect_refused(short_data, {"initializer 'bias'", "16 bytes", "found 8"});

  onnx::ModelProto negative = small_model();
  *negative.mutable_graph()->mutable_initializer(0) = testing::raw_float_tensor("bias", {-4}, {});
  expect_refused(negative, {"initializer 'bias'", "negative"});

  onnx::ModelProto complex = small_model();
  complex.mutable_graph()->mutable_initializer(0)->set_data_type(onnx::TensorProto::COMPLEX64);
  expect_refused(complex, {"initializer 'bias'", "COMPLEX64"});

  onnx::ModelProto twice = small_model();
  testing::add_initializer(*twice.mutable_graph(), testing::raw_float_tensor("bias", {4}, {1, 2, 3, 4}));
  expect_refused(twice, {"'bias'", "twice"});
}

TEST(MalformedModel, BadValueInfosAreRefusedByName) {
  onnx::ModelProto bools = small_model();
  bools.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->set_elem_type(
      onnx::TensorProto::BOOL);
  expect_refused(bools, {"input 'x'", "BOOL"});

  onnx::ModelProto shapeless = small_model();
  shapeless.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->clear_shape();
  expect_refused(shapeless, {"input 'x'", "shape"});

  onnx::ModelProto sequence = small_model();
  sequence.mutable_graph()->mutable_input(0)->mutable_type()->mutable_sequence_type();
  expect_refused(sequence, {"input 'x'", "not a tensor"});
}

TEST(MalformedModel, SubgraphAttributesAreRefused) {
  onnx::ModelProto m = small_model();
  auto& node = testing::add_node(*m.mutable_graph(), "If", {"y"}, {"z"}, "branch");
  auto* attr = node.add_attribute();
  attr->set_name("then_branch");
  attr->set_type(onnx::AttributeProto::GRAPH);
  expect_refused(m, {"'branch'", "'then_branch'", "GRAPH"});
}

TEST(MalformedModel, AttributeWithoutTypeIsRefused) {
  onnx::ModelProto m = small_model();
  auto* attr = m.mutable_graph()->mutable_node(1)->add_attribute();
  attr->set_name("alpha");
  attr->set_f(0.5f);
  expect_refused(m, {"'relu'", "'alpha'", "no type"});
}

}  // namespace
}  // namespace stride
