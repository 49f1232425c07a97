#include "stride/zoo/model_common.h"

#include <cmath>
#include <numeric>

namespace stride::zoo {
namespace {

// Bounds that keep a mistyped option from asking for absurd amounts of memory.
constexpr double kMaxWidthMult = 16.0;
constexpr int64_t kMaxSide = 4096;
constexpr int64_t kMaxFrames = 1024;
constexpr int64_t kMaxClasses = 1'000'000;

int64_t checked_option(std::string_view model, std::string_view field, std::optional<int64_t> value, int64_t fallback,
                       int64_t low, int64_t high) {
  const int64_t v = value.value_or(fallback);
  if (v < low || v > high) fail("{}: option '{}' is {}, expected {} to {}", model, field, v, low, high);
  return v;
}

}  // namespace

int64_t ModelSetup::channels(int64_t paper_channels) const {
  return std::max<int64_t>(1, std::llround(static_cast<double>(paper_channels) * width_mult));
}

int64_t ModelSetup::window_output(std::string_view layer, int64_t in, int64_t kernel, int64_t stride,
                                  int64_t pad_total) const {
  if (in + pad_total < kernel)
    fail("{}: an input of {}×{} with {} frames is too small: layer '{}' has a window of {} over {} values", model,
         height, width, frames, layer, kernel, in + pad_total);
  return (in + pad_total - kernel) / stride + 1;
}

ModelSetup resolve_options(std::string_view model, const ZooOptions& options, const ModelDefaults& defaults) {
  ModelSetup s;
  s.model = model;
  s.input_kind = defaults.input_kind;
  s.classes = checked_option(model, "classes", options.classes, defaults.classes, 0, kMaxClasses);
  s.height = checked_option(model, "height", options.height, defaults.height, 1, kMaxSide);
  s.width = checked_option(model, "width", options.width, defaults.width, 1, kMaxSide);
  s.frames = checked_option(model, "frames", options.frames, defaults.frames, 1, kMaxFrames);
  if (options.batch != -1 && options.batch < 1)
    fail("{}: option 'batch' is {}, expected -1 (chosen at run time) or a positive size", model, options.batch);
  s.batch = options.batch;
  if (!(options.width_mult > 0.0 && options.width_mult <= kMaxWidthMult))
    fail("{}: option 'width_mult' is {}, expected a value in (0, {}]", model, options.width_mult, kMaxWidthMult);
  s.width_mult = options.width_mult;
  s.seed = options.seed;
  return s;
}

Graph finish_model(GraphBuilder builder, const ModelSetup& setup, const std::string& feature,
                   const Shape& feature_shape) {
  Shape batched = {setup.batch};
  batched.insert(batched.end(), feature_shape.begin(), feature_shape.end());
  builder.output(feature, kFeatureOutput, batched);

  if (setup.classes > 0) {
    builder.scope("classifier");
    const int64_t features =
        std::accumulate(feature_shape.begin(), feature_shape.end(), int64_t{1}, std::multiplies<>());
    const std::string flat = feature_shape.size() == 1 ? kFeatureOutput : builder.flatten(kFeatureOutput);
    const std::string probabilities = builder.softmax(builder.dense(flat, features, setup.classes));
    builder.output(probabilities, kProbabilitiesOutput, {setup.batch, setup.classes});
  }

  builder.set_metadata("stride.model", setup.model);
  builder.set_metadata("stride.input_kind", setup.input_kind);
  builder.set_metadata("stride.feature_output", kFeatureOutput);
  builder.set_metadata("stride.classes", std::to_string(setup.classes));
  builder.set_metadata("stride.seed", std::to_string(setup.seed));
  return std::move(builder).finish();
}

}  // namespace stride::zoo
