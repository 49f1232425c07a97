// The C API of libstride_runtime (stride/stride.h), called as a host application calls it: models
// from buffers and files on every backend against the ref backend run in-process (the oracle),
// batches that change between runs, and every kind of bad call answered with a status and a one-line
// message, never a crash. Links the shared library; the zoo, ONNX writer and ref backend come from
// the project's archives only to make models and expected outputs.
#include <gtest/gtest.h>
#include <omp.h>
#include <signal.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "stride/engine/inputs.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/onnx/onnx_export.h"
#include "stride/stride.h"
#include "stride/zoo/zoo.h"

namespace {

using stride::Graph;
using stride::Tensor;

struct ModelDeleter {
  void operator()(stride_model* m) const { stride_model_free(m); }
};
struct SessionDeleter {
  void operator()(stride_session* s) const { stride_session_free(s); }
};
using ModelPtr = std::unique_ptr<stride_model, ModelDeleter>;
using SessionPtr = std::unique_ptr<stride_session, SessionDeleter>;

Graph small_model(const std::string& name) {
  stride::ZooOptions options;
  options.width_mult = 0.25;
  if (name != "gaitset") options.classes = 7;
  return stride::build_model(name, options);
}

ModelPtr load(const std::string& bytes) {
  stride_model* model = nullptr;
  EXPECT_EQ(stride_model_load_buffer(bytes.data(), bytes.size(), &model), STRIDE_OK) << stride_last_error();
  return ModelPtr(model);
}

SessionPtr open(const stride_model* model, const char* backend) {
  stride_session* session = nullptr;
  EXPECT_EQ(stride_session_create(model, backend, 2, &session), STRIDE_OK) << stride_last_error();
  return SessionPtr(session);
}

// Runs a one-input session on `input`; its outputs as tensors.
std::vector<Tensor> run(stride_session* session, const Tensor& input) {
  const float* data[] = {input.data<float>()};
  const int64_t* shapes[] = {input.shape().data()};
  const size_t ranks[] = {input.rank()};
  EXPECT_EQ(stride_session_run(session, 1, data, shapes, ranks), STRIDE_OK) << stride_last_error();
  std::vector<Tensor> outputs;
  for (size_t i = 0; i < stride_session_output_count(session); ++i) {
    const float* values = nullptr;
    const int64_t* shape = nullptr;
    size_t rank = 0;
    EXPECT_EQ(stride_session_output(session, i, &values, &shape, &rank), STRIDE_OK) << stride_last_error();
    const stride::Shape s(shape, shape + rank);
    Tensor t(stride::DType::f32, s);
    std::copy(values, values + t.numel(), t.data<float>());
    outputs.push_back(std::move(t));
  }
  return outputs;
}

void expect_close(const Tensor& got, const Tensor& expected, const std::string& what) {
  ASSERT_EQ(got.shape(), expected.shape()) << what;
  double largest = 1e-6, worst = 0;
  const auto e = expected.values<float>(), g = got.values<float>();
  for (size_t k = 0; k < e.size(); ++k) {
    largest = std::max(largest, std::abs(double(e[k])));
    worst = std::max(worst, std::abs(double(g[k]) - e[k]));
  }
  EXPECT_LE(worst, 1e-4 * largest) << what;
}

// The last message is one line that mentions `words`.
void expect_message(const std::string& words) {
  const std::string message = stride_last_error();
  EXPECT_NE(message.find(words), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

class ZooModel : public ::testing::TestWithParam<std::string> {};

// Every zoo model, from a buffer, on ref, onednn, xnnpack and auto, at batch 1 and then 3 (a new plan), each
// output within 1e-4 of the largest value of the ref backend's.
TEST_P(ZooModel, EveryBackendMatchesTheReferenceAcrossBatchSizes) {
  const Graph graph = small_model(GetParam());
  const ModelPtr model = load(stride::serialize_onnx(graph));
  for (const char* backend : {"ref", "onednn", "xnnpack", "auto"}) {
    const SessionPtr session = open(model.get(), backend);
    ASSERT_EQ(stride_session_input_count(session.get()), graph.inputs.size());
    EXPECT_STREQ(stride_session_input_name(session.get(), 0), graph.inputs[0].name.c_str());
    for (const int64_t batch : {1, 3}) {
      const auto shapes = stride::input_shapes_at_batch(graph, batch);
      const auto inputs = stride::random_inputs(graph, shapes, 11 + batch);
      stride::CompileOptions options;
      options.input_shapes = shapes;
      const auto expected = stride::RefBackend().compile(graph, options)->run(inputs);
      const auto got = run(session.get(), inputs.begin()->second);
      ASSERT_EQ(got.size(), graph.outputs.size());
      for (size_t i = 0; i < got.size(); ++i)
        expect_close(got[i], expected.at(graph.outputs[i].name),
                     GetParam() + " " + backend + " batch " + std::to_string(batch) + " " + graph.outputs[i].name);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Runtime, ZooModel, ::testing::Values("cnn2d", "cnn3d", "cnn3dto2d", "gaitset"));

TEST(CApi, VersionIsTheProjectsVersion) { EXPECT_STREQ(stride_version(), STRIDE_PROJECT_VERSION); }

TEST(CApi, AutoNamesTheBackendItChose) {
  const ModelPtr model = load(stride::serialize_onnx(small_model("cnn2d")));
  const std::string chosen = stride_session_backend(open(model.get(), "auto").get());  // measured: either
  EXPECT_TRUE(chosen == "onednn" || chosen == "xnnpack") << chosen;
  EXPECT_STREQ(stride_session_backend(open(model.get(), "ref").get()), "ref");
}

TEST(CApi, LoadsFromAFileAndOutlivesTheModel) {
  const Graph graph = small_model("cnn2d");
  const auto path = std::filesystem::temp_directory_path() / ("stride_c_api_" + std::to_string(getpid()) + ".onnx");
  stride::save_onnx(graph, path);
  stride_model* raw = nullptr;
  ASSERT_EQ(stride_model_load(path.c_str(), &raw), STRIDE_OK) << stride_last_error();
  std::filesystem::remove(path);
  SessionPtr session = open(raw, "onednn");
  stride_model_free(raw);  // the session keeps what it needs
  const auto inputs = stride::random_inputs(graph, stride::input_shapes_at_batch(graph, 2), 5);
  const auto expected = stride::RefBackend().compile(graph, {})->run(inputs);
  expect_close(run(session.get(), inputs.begin()->second).front(), expected.at(graph.outputs[0].name), "from a file");
}

TEST(CApi, DeclaredInputShapeLeavesTheBatchFree) {
  const Graph graph = small_model("cnn2d");
  const ModelPtr model = load(stride::serialize_onnx(graph));
  const SessionPtr session = open(model.get(), "ref");
  const int64_t* shape = nullptr;
  size_t rank = 0;
  ASSERT_EQ(stride_session_input_shape(session.get(), 0, &shape, &rank), STRIDE_OK);
  EXPECT_EQ(stride::Shape(shape, shape + rank), graph.inputs[0].shape);
  EXPECT_EQ(shape[0], -1);
}

// --- bad calls: a status and a one-line message each ---

class BadCall : public ::testing::Test {
 protected:
  void SetUp() override {
    graph_ = small_model("cnn2d");
    model_ = load(stride::serialize_onnx(graph_));
    session_ = open(model_.get(), "onednn");
    input_ = stride::random_inputs(graph_, stride::input_shapes_at_batch(graph_, 1), 1).begin()->second;
  }
  stride_status run_with(const stride::Shape& shape, const float* data) {
    const float* datas[] = {data};
    const int64_t* shapes[] = {shape.data()};
    const size_t ranks[] = {shape.size()};
    return stride_session_run(session_.get(), 1, datas, shapes, ranks);
  }
  Graph graph_;
  ModelPtr model_;
  SessionPtr session_;
  Tensor input_;
};

TEST_F(BadCall, NullPointers) {
  stride_model* model = nullptr;
  EXPECT_EQ(stride_model_load(nullptr, &model), STRIDE_INVALID_ARGUMENT);
  expect_message("path is NULL");
  EXPECT_EQ(stride_model_load("x.onnx", nullptr), STRIDE_INVALID_ARGUMENT);
  EXPECT_EQ(stride_model_load_buffer(nullptr, 10, &model), STRIDE_INVALID_ARGUMENT);
  expect_message("bytes is NULL");
  stride_session* session = nullptr;
  EXPECT_EQ(stride_session_create(nullptr, "ref", 0, &session), STRIDE_INVALID_ARGUMENT);
  expect_message("model is NULL");
  EXPECT_EQ(stride_session_create(model_.get(), nullptr, 0, &session), STRIDE_INVALID_ARGUMENT);
  EXPECT_EQ(session, nullptr);
  EXPECT_EQ(stride_session_run(nullptr, 0, nullptr, nullptr, nullptr), STRIDE_INVALID_ARGUMENT);
  expect_message("session is NULL");
  EXPECT_EQ(stride_session_run(session_.get(), 1, nullptr, nullptr, nullptr), STRIDE_INVALID_ARGUMENT);
  EXPECT_EQ(run_with(input_.shape(), nullptr), STRIDE_INVALID_ARGUMENT);
  expect_message("the data of input");
  const float* data = nullptr;
  const int64_t* shape = nullptr;
  size_t rank = 0;
  EXPECT_EQ(stride_session_output(session_.get(), 0, nullptr, &shape, &rank), STRIDE_INVALID_ARGUMENT);
  EXPECT_EQ(stride_session_output(nullptr, 0, &data, &shape, &rank), STRIDE_INVALID_ARGUMENT);
  EXPECT_EQ(stride_session_input_count(nullptr), 0u);
  EXPECT_EQ(stride_session_output_count(nullptr), 0u);
  EXPECT_EQ(stride_session_input_name(nullptr, 0), nullptr);
  EXPECT_EQ(stride_session_backend(nullptr), nullptr);
  stride_model_free(nullptr);
  stride_session_free(nullptr);
}

TEST_F(BadCall, AFileThatIsNotAModel) {
  const auto path = std::filesystem::temp_directory_path() / ("stride_not_a_model_" + std::to_string(getpid()));
  std::ofstream(path) << "this is a text file, not an ONNX model\n";
  stride_model* model = reinterpret_cast<stride_model*>(&model);  // must be reset to NULL on failure
  EXPECT_EQ(stride_model_load(path.c_str(), &model), STRIDE_ERROR);
  std::filesystem::remove(path);
  EXPECT_EQ(model, nullptr);
  expect_message(path.filename().string());
  EXPECT_EQ(stride_model_load("/nonexistent/model.onnx", &model), STRIDE_ERROR);
  expect_message("/nonexistent/model.onnx");
  const std::string garbage = "\x08\x07\x12\xff\xff\xff\xff garbage";
  EXPECT_EQ(stride_model_load_buffer(garbage.data(), garbage.size(), &model), STRIDE_ERROR);
  expect_message("model buffer");
  EXPECT_EQ(stride_model_load_buffer(garbage.data(), 0, &model), STRIDE_INVALID_ARGUMENT);
  const std::string bytes = stride::serialize_onnx(graph_);
  EXPECT_EQ(stride_model_load_buffer(bytes.data(), bytes.size() / 2, &model), STRIDE_ERROR);  // truncated
  EXPECT_EQ(model, nullptr);
}

TEST_F(BadCall, UnknownBackendAndThreadCount) {
  stride_session* session = nullptr;
  EXPECT_EQ(stride_session_create(model_.get(), "tensorrt", 0, &session), STRIDE_INVALID_ARGUMENT);
  expect_message("unknown backend 'tensorrt' (this library has: auto, onednn, ref, xnnpack)");
  EXPECT_EQ(stride_session_create(model_.get(), "torch", 0, &session), STRIDE_INVALID_ARGUMENT);  // the tool's only
  EXPECT_EQ(stride_session_create(model_.get(), "ref", -1, &session), STRIDE_INVALID_ARGUMENT);
  expect_message("threads must be 0 (all cores) to 1024, got -1");
  EXPECT_EQ(session, nullptr);
}

TEST_F(BadCall, MissingInputWrongRankAndWrongShape) {
  EXPECT_EQ(stride_session_run(session_.get(), 0, nullptr, nullptr, nullptr), STRIDE_INVALID_ARGUMENT);
  expect_message("the model has 1 input(s) ('" + graph_.inputs[0].name + "'), 0 given");
  stride::Shape rank3 = input_.shape();
  rank3.pop_back();
  EXPECT_EQ(run_with(rank3, input_.data<float>()), STRIDE_INVALID_ARGUMENT);
  expect_message("has rank 3, the model expects rank 4");
  stride::Shape wider = input_.shape();
  wider[3] -= 1;  // fewer values than given: nothing is read past the buffer either way
  EXPECT_EQ(run_with(wider, input_.data<float>()), STRIDE_INVALID_ARGUMENT);
  expect_message("the model expects");
  stride::Shape empty = input_.shape();
  empty[0] = 0;
  EXPECT_EQ(run_with(empty, input_.data<float>()), STRIDE_INVALID_ARGUMENT);
  expect_message("dimension 0 is 0");
  stride::Shape absurd = input_.shape();
  absurd[0] = int64_t{1} << 40;  // 2^40 samples: refused before any memory is asked for
  const stride_status status = run_with(absurd, input_.data<float>());
  EXPECT_TRUE(status == STRIDE_OUT_OF_MEMORY || status == STRIDE_INVALID_ARGUMENT) << stride_last_error();
  expect_message("memory");
}

TEST_F(BadCall, OutputsOnlyAfterASuccessfulRunAndInRange) {
  const float* data = nullptr;
  const int64_t* shape = nullptr;
  size_t rank = 0;
  EXPECT_EQ(stride_session_output(session_.get(), 0, &data, &shape, &rank), STRIDE_INVALID_ARGUMENT);
  expect_message("no outputs yet");
  ASSERT_EQ(run_with(input_.shape(), input_.data<float>()), STRIDE_OK) << stride_last_error();
  EXPECT_EQ(stride_session_output(session_.get(), 0, &data, &shape, &rank), STRIDE_OK);
  EXPECT_EQ(stride_session_output(session_.get(), 99, &data, &shape, &rank), STRIDE_INVALID_ARGUMENT);
  expect_message("output index 99 is out of range");
  EXPECT_EQ(stride_session_input_name(session_.get(), 5), nullptr);
  expect_message("input index 5 is out of range");
  stride::Shape rank3 = input_.shape();
  rank3.pop_back();
  EXPECT_EQ(run_with(rank3, input_.data<float>()), STRIDE_INVALID_ARGUMENT);
  EXPECT_EQ(stride_session_output(session_.get(), 0, &data, &shape, &rank), STRIDE_INVALID_ARGUMENT);  // dropped
}

TEST_F(BadCall, TheMessageBelongsToTheFailingThread) {
  EXPECT_EQ(stride_session_create(model_.get(), "nope", 0, nullptr), STRIDE_INVALID_ARGUMENT);
  const std::string mine = stride_last_error();
  std::thread([] {
    stride_model* model = nullptr;
    EXPECT_EQ(stride_model_load("/nonexistent/other.onnx", &model), STRIDE_ERROR);
  }).join();
  EXPECT_EQ(stride_last_error(), mine);
}

// --- no process-wide surprise for the host ---

void host_sigint_handler(int) {}

TEST(Host, SignalHandlersAndThreadSettingsAreUnchanged) {
  struct sigaction mine {};
  mine.sa_handler = host_sigint_handler;
  ASSERT_EQ(sigaction(SIGINT, &mine, nullptr), 0);
  struct sigaction term_before {};
  sigaction(SIGTERM, nullptr, &term_before);
  omp_set_num_threads(3);  // the host's own choice, not the session's 2

  const Graph graph = small_model("cnn2d");
  const std::string bytes = stride::serialize_onnx(graph);
  const ModelPtr model = load(bytes);
  const auto input = stride::random_inputs(graph, stride::input_shapes_at_batch(graph, 2), 1).begin()->second;
  for (const char* backend : {"onednn", "ref", "xnnpack", "auto"}) {
    const SessionPtr session = open(model.get(), backend);
    ASSERT_EQ(run(session.get(), input).size(), graph.outputs.size());
  }
  // The model written to a file and loaded: file handling installs nothing either.
  const auto path = std::filesystem::temp_directory_path() / ("stride_host_" + std::to_string(getpid()) + ".onnx");
  stride::save_onnx(graph, path);
  stride_model* from_file = nullptr;
  EXPECT_EQ(stride_model_load(path.c_str(), &from_file), STRIDE_OK);
  stride_model_free(from_file);
  std::filesystem::remove(path);

  struct sigaction int_after {
  }, term_after{};
  sigaction(SIGINT, nullptr, &int_after);
  sigaction(SIGTERM, nullptr, &term_after);
  EXPECT_EQ(int_after.sa_handler, &host_sigint_handler);
  EXPECT_EQ(term_after.sa_handler, term_before.sa_handler);
  EXPECT_EQ(omp_get_max_threads(), 3);
}

}  // namespace
