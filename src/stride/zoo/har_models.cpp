// The activity-recognition models of Contoli and Lattanzi (IEEE Access 2023: CNN, LSTM, CNN-LSTM on
// body-worn sensors), which the paper names but does not specify. Sized for an ESP32-class microcontroller: each holds 14–18 thousand
// weights, so tens of KB as int8 (the ESP32 has 520 KB of SRAM). Input: one UCI HAR window
// [N, 9, 128] (Anguita et al. 2013: body acceleration, gyroscope and total acceleration, x/y/z,
// 128 samples = 2.56 s at 50 Hz); output: the 6 activities.
//   har-lstm      Chevalier's UCI HAR baseline (github.com/guillaume-chevalier/LSTM-Human-Activity-
//                 Recognition): a per-step dense 9→32 with ReLU, two stacked 32-unit LSTMs, the last
//                 step's state classified.
//   har-cnn       three 1-D convolution blocks (16, 32, 64 filters of 5 samples, ReLU, max-pool 2),
//                 the time axis averaged: a 64-d feature.
//   har-cnn-lstm  two of those convolution blocks (32 filters) shorten the sequence to 32 steps, whose
//                 features feed one 32-unit LSTM.
#include "stride/zoo/model_common.h"
#include "stride/zoo/models.h"

namespace stride::zoo {
namespace {

constexpr int64_t kSensorChannels = 9;
constexpr ModelDefaults kUciHar{
    .classes = 6, .height = kSensorChannels, .width = 1, .frames = 128, .input_kind = "imu"};

// The options of a HAR model: the window length comes from `frames`; the channels are the UCI set.
ModelSetup har_setup(std::string_view model, const ZooOptions& options) {
  ModelSetup setup = resolve_options(model, options, kUciHar);
  if (setup.height != kSensorChannels || setup.width != 1)
    fail("{}: an IMU window has {} channels × 1 (height × width), got {}×{}; set its length with --frames", model,
         kSensorChannels, setup.height, setup.width);
  return setup;
}

// A 1-D convolution of `filters` maps (kernel 5, same padding), ReLU, then max-pool 2; `length`
// follows the time axis.
std::string conv_block(GraphBuilder& b, const ModelSetup& setup, const std::string& name, const std::string& x,
                       int64_t& channels, int64_t filters, int64_t& length) {
  constexpr int64_t kernel = 5;
  b.scope(name);
  const std::string y = b.relu(b.conv(
      x, {.in_channels = channels, .out_channels = filters, .kernel = {kernel}, .pads = {kernel / 2, kernel / 2}}));
  length = setup.window_output(name + " pool", length, 2, 2);
  channels = filters;
  return b.max_pool(y, {2}, {2});
}

// [N, C, T] → [T, N, C]: the sequence-first layout of ONNX's LSTM.
std::string to_sequence(GraphBuilder& b, const std::string& x) {
  b.scope("to_sequence");
  return b.transpose(x, {2, 0, 1});
}

// The last step's hidden state [1, N, H] as [N, H].
std::string last_state(GraphBuilder& b, const GraphBuilder::LstmValues& lstm, int64_t hidden) {
  b.scope("last_state");
  return b.reshape(lstm.last, {-1, hidden});
}

}  // namespace

Graph build_har_cnn(const ZooOptions& options) {
  const ModelSetup setup = har_setup("har-cnn", options);
  GraphBuilder b("har-cnn", setup.seed);
  int64_t channels = kSensorChannels, length = setup.frames;
  std::string x = b.input("imu", {setup.batch, channels, length});
  x = conv_block(b, setup, "conv1", x, channels, setup.channels(16), length);
  x = conv_block(b, setup, "conv2", x, channels, setup.channels(32), length);
  x = conv_block(b, setup, "conv3", x, channels, setup.channels(64), length);
  b.scope("time_average");
  x = b.reduce_mean(x, {2}, false);
  return finish_model(std::move(b), setup, x, {channels});
}

Graph build_har_lstm(const ZooOptions& options) {
  const ModelSetup setup = har_setup("har-lstm", options);
  GraphBuilder b("har-lstm", setup.seed);
  const int64_t hidden = setup.channels(32);
  const std::string x = to_sequence(b, b.input("imu", {setup.batch, kSensorChannels, setup.frames}));
  // The per-step dense layer: every (step, row) pair through one Gemm.
  b.scope("step_dense");
  std::string steps = b.reshape(x, {-1, kSensorChannels});
  steps = b.reshape(b.relu(b.dense(steps, kSensorChannels, hidden)), {setup.frames, -1, hidden});
  b.scope("lstm1");
  const GraphBuilder::LstmValues first = b.lstm(steps, hidden, hidden);
  b.scope("lstm1_sequence");
  const std::string sequence = b.reshape(first.sequence, {0, -1, hidden});  // drop the direction axis
  b.scope("lstm2");
  const GraphBuilder::LstmValues second = b.lstm(sequence, hidden, hidden);
  return finish_model(std::move(b), setup, last_state(b, second, hidden), {hidden});
}

Graph build_har_cnn_lstm(const ZooOptions& options) {
  const ModelSetup setup = har_setup("har-cnn-lstm", options);
  GraphBuilder b("har-cnn-lstm", setup.seed);
  int64_t channels = kSensorChannels, length = setup.frames;
  std::string x = b.input("imu", {setup.batch, channels, length});
  x = conv_block(b, setup, "conv1", x, channels, setup.channels(32), length);
  x = conv_block(b, setup, "conv2", x, channels, setup.channels(32), length);
  const int64_t hidden = setup.channels(32);
  const std::string sequence = to_sequence(b, x);
  b.scope("lstm");
  const GraphBuilder::LstmValues lstm = b.lstm(sequence, channels, hidden);
  return finish_model(std::move(b), setup, last_state(b, lstm, hidden), {hidden});
}

}  // namespace stride::zoo
