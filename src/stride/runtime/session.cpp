#include "stride/runtime/session.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "stride/core/memory_budget.h"
#include "stride/engine/inputs.h"
#include "stride/engine/select/backend_choice_cache.h"
#include "stride/engine/select/make_backend.h"
#include "stride/ir/float_interface.h"

namespace stride::runtime {
namespace {

// Plans kept per session: a few batch sizes in turn recompile nothing; an endless variety of shapes
// does not grow memory without bound.
constexpr size_t kPlansKept = 4;

// Dimensions beyond this are no real tensor, and their product could overflow before any check.
constexpr int64_t kLargestDim = int64_t{1} << 40;

// The input's shape checked against the declared one; the number of values it holds.
int64_t checked_numel(const ValueInfo& declared, const Shape& shape) {
  if (shape.size() != declared.shape.size())
    throw InvalidArgument(fmt::format("input '{}' has rank {}, the model expects rank {} {}", declared.name,
                                      shape.size(), declared.shape.size(), shape_str(declared.shape)));
  int64_t numel = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 1 || shape[d] > kLargestDim)
      throw InvalidArgument(
          fmt::format("input '{}' dimension {} is {}: each must be from 1 to 2^40", declared.name, d, shape[d]));
    if (declared.shape[d] >= 0 && shape[d] != declared.shape[d])
      throw InvalidArgument(fmt::format("input '{}' has shape {}, the model expects {}", declared.name,
                                        shape_str(shape), shape_str(declared.shape)));
    if (numel > std::numeric_limits<int64_t>::max() / shape[d])
      throw InvalidArgument(
          fmt::format("input '{}' of shape {} has more values than memory can hold", declared.name, shape_str(shape)));
    numel *= shape[d];
  }
  return numel;
}

// `auto`'s choices for this process: a second session of one model and machine is not timed again.
BackendChoiceCache& process_choices() {
  static BackendChoiceCache cache;
  return cache;
}

// `auto` is timed at batch 1 when the declared shapes fix every other dimension; otherwise
// choose_backend takes the first fast engine that runs every op.
CompileOptions options_at_batch_one(const Graph& graph, int threads) {
  CompileOptions options;
  options.threads = threads;
  bool fixed = true;
  for (const ValueInfo& input : graph.inputs)
    for (size_t d = 1; d < input.shape.size(); ++d) fixed = fixed && input.shape[d] >= 0;
  if (fixed) options.input_shapes = input_shapes_at_batch(graph, 1);
  return options;
}

}  // namespace

Session::Session(const Graph& model, const std::string& backend, int threads)
    : graph_(with_float_interface(model)), threads_(threads) {
  if (threads < 0 || threads > 1024)
    throw InvalidArgument(fmt::format("threads must be 0 (all cores) to 1024, got {}", threads));
  const std::vector<std::string> choices = backend_choices();
  if (std::find(choices.begin(), choices.end(), backend) == choices.end())
    throw InvalidArgument(
        fmt::format("unknown backend '{}' (this library has: {})", backend, fmt::join(choices, ", ")));
  backend_ = choose_backend(backend, graph_, options_at_batch_one(graph_, threads), &process_choices()).name;
}

void Session::run(const std::vector<InputView>& inputs) {
  results_.clear();
  if (inputs.size() != graph_.inputs.size()) {
    std::vector<std::string> names;
    for (const auto& v : graph_.inputs) names.push_back("'" + v.name + "'");
    throw InvalidArgument(fmt::format("the model has {} input(s) ({}), {} given", graph_.inputs.size(),
                                      fmt::join(names, ", "), inputs.size()));
  }
  std::vector<int64_t> counts;
  uint64_t bytes = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ValueInfo& declared = graph_.inputs[i];
    counts.push_back(checked_numel(declared, inputs[i].shape));
    if (!inputs[i].data) throw InvalidArgument(fmt::format("the data of input '{}' is NULL", declared.name));
    bytes += static_cast<uint64_t>(counts.back()) * sizeof(float);
  }
  check_memory(bytes, "the inputs");  // before copying them

  TensorMap feed;
  std::vector<Shape> shapes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Tensor values(DType::f32, inputs[i].shape);
    std::memcpy(values.raw(), inputs[i].data, static_cast<size_t>(counts[i]) * sizeof(float));
    const DType wanted = graph_.inputs[i].dtype;
    feed[graph_.inputs[i].name] = wanted == DType::f32 ? std::move(values) : values.cast(wanted);
    shapes.push_back(inputs[i].shape);
  }
  TensorMap outputs = plan_for(shapes).run(feed);
  std::vector<Tensor> results;
  for (const auto& v : graph_.outputs) {
    Tensor& t = outputs.at(v.name);
    results.push_back(t.dtype() == DType::f32 ? std::move(t) : t.to_f32());
  }
  results_ = std::move(results);
}

Plan& Session::plan_for(const std::vector<Shape>& shapes) {
  for (const CompiledPlan& p : plans_)
    if (p.shapes == shapes) return *p.plan;
  CompileOptions options;
  options.threads = threads_;
  for (size_t i = 0; i < shapes.size(); ++i) options.input_shapes[graph_.inputs[i].name] = shapes[i];
  plans_.push_front({shapes, make_backend(backend_)->compile(graph_, options)});
  if (plans_.size() > kPlansKept) plans_.pop_back();
  return *plans_.front().plan;
}

}  // namespace stride::runtime
