#include "stride/compress/feature_map_compare.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "stride/core/error.h"
#include "stride/ir/shape_inference.h"

namespace stride {
namespace {

std::map<std::string, Shape> shapes_of(const TensorMap& batch) {
  std::map<std::string, Shape> shapes;
  for (const auto& [name, tensor] : batch) shapes[name] = tensor.shape();
  return shapes;
}

bool is_convolution(const Node* n) {
  return n && (n->op_type == "Conv" || (n->op_type == "Concat" && n->name.ends_with("/ghost_concat")));
}

// `graph` with each of `values` a graph output as well.
Graph with_outputs(const Graph& graph, const std::vector<std::string>& values, const GraphShapes& shapes) {
  Graph probed = graph;
  for (const std::string& v : values) {
    const bool already =
        std::any_of(probed.outputs.begin(), probed.outputs.end(), [&](const ValueInfo& out) { return out.name == v; });
    if (!already) probed.outputs.push_back({v, shapes.at(v).dtype, shapes.at(v).shape});
  }
  return probed;
}

// One model's plans, one per distinct input shapes, each computing the watched values too.
class ProbedModel {
 public:
  ProbedModel(const Graph& graph, std::vector<std::string> values, const Backend& backend, int threads)
      : graph_(graph), values_(std::move(values)), backend_(backend), threads_(threads) {}
  TensorMap run(const TensorMap& inputs) {
    const std::map<std::string, Shape> shapes = shapes_of(inputs);
    std::unique_ptr<Plan>& plan = plans_[shapes];
    if (!plan)
      plan = backend_.compile(with_outputs(graph_, values_, infer_shapes(graph_, shapes)),
                              {.threads = threads_, .input_shapes = shapes});
    return plan->run(inputs);
  }

 private:
  const Graph& graph_;
  std::vector<std::string> values_;
  const Backend& backend_;
  int threads_;
  std::map<std::map<std::string, Shape>, std::unique_ptr<Plan>> plans_;
};

// The batch as the second model takes it: its one input under its own name.
TensorMap inputs_for_second(const Graph& a, const Graph& b, const TensorMap& batch) {
  if (b.inputs.size() == 1 && a.inputs.size() == 1 && a.inputs[0].name != b.inputs[0].name)
    return {{b.inputs[0].name, batch.at(a.inputs[0].name)}};
  return batch;
}

}  // namespace

FeatureMapComparison compare_feature_maps(const Graph& a, const Graph& b, const std::vector<TensorMap>& batches,
                                          const Backend& backend, int threads) {
  if (batches.empty()) fail("no inputs to compare the models on");
  if (a.inputs.size() != b.inputs.size())
    fail("model '{}' has {} inputs and model '{}' {}: they cannot run on the same inputs", a.name, a.inputs.size(),
         b.name, b.inputs.size());
  if (a.inputs.size() > 1)
    for (const ValueInfo& in : a.inputs)
      if (!b.input(in.name)) fail("model '{}' has no input '{}', which model '{}' takes", b.name, in.name, a.name);
  const TensorMap& first = batches.front();
  for (const ValueInfo& in : a.inputs)
    if (!first.count(in.name)) fail("the inputs have no '{}', which model '{}' takes", in.name, a.name);

  const GraphShapes sa = infer_shapes(a, shapes_of(first));
  const GraphShapes sb = infer_shapes(b, shapes_of(inputs_for_second(a, b, first)));
  FeatureMapComparison result;
  std::vector<std::string> values;
  for (const Node& n : sorted(a).nodes)
    for (const std::string& v : n.outputs) {
      if (v.empty()) continue;
      const Node* other = b.producer(v);
      const TensorInfo& info = sa.at(v);
      if (!other || !sb.values.count(v) || sb.at(v).shape != info.shape || info.dtype != DType::f32 ||
          sb.at(v).dtype != DType::f32) {
        ++result.unmatched;
        continue;
      }
      values.push_back(v);
      result.layers.push_back({.value = v,
                               .op_type = n.op_type,
                               .shape = info.shape,
                               .convolution = is_convolution(&n) || is_convolution(other)});
    }
  if (values.empty())
    fail("models '{}' and '{}' share no value of the same name and shape: nothing to compare", a.name, b.name);

  ProbedModel pa(a, values, backend, threads), pb(b, values, backend, threads);
  std::vector<double> squared(values.size(), 0.0), a_squared(values.size(), 0.0);
  std::vector<double> elements(values.size(), 0.0);
  for (const TensorMap& batch : batches) {
    const TensorMap ra = pa.run(batch), rb = pb.run(inputs_for_second(a, b, batch));
    for (size_t i = 0; i < values.size(); ++i) {
      const Tensor& x = ra.at(values[i]);
      const Tensor& y = rb.at(values[i]);
      if (x.shape() != y.shape())
        fail("value '{}' is {} in model '{}' and {} in model '{}' on these inputs", values[i], shape_str(x.shape()),
             a.name, shape_str(y.shape()), b.name);
      const auto xv = x.values<float>(), yv = y.values<float>();
      FeatureMapDifference& d = result.layers[i];
      for (size_t k = 0; k < xv.size(); ++k) {
        const double diff = static_cast<double>(xv[k]) - yv[k];
        squared[i] += diff * diff;
        a_squared[i] += static_cast<double>(xv[k]) * xv[k];
        d.max_abs = std::max(d.max_abs, std::fabs(diff));
      }
      elements[i] += static_cast<double>(xv.size());
    }
    result.samples += batch.begin()->second.rank() > 0 ? batch.begin()->second.dim(0) : 1;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    result.layers[i].mse = elements[i] > 0 ? squared[i] / elements[i] : 0.0;
    result.layers[i].mean_square = elements[i] > 0 ? a_squared[i] / elements[i] : 0.0;
  }
  return result;
}

std::vector<const FeatureMapDifference*> first_convolutions(const FeatureMapComparison& comparison, size_t count) {
  std::vector<const FeatureMapDifference*> found;
  for (const FeatureMapDifference& d : comparison.layers)
    if (d.convolution && found.size() < count) found.push_back(&d);
  return found;
}

}  // namespace stride
