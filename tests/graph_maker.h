#pragma once
// Small graphs for the backend tests, built node by node, and seeded inputs for them.
#include <map>
#include <string>
#include <vector>

#include "stride/core/random.h"
#include "stride/engine/backend.h"
#include "stride/ir/shape_inference.h"

namespace stride::testing {

// Uniform values in [-1, 1).
inline Tensor random_tensor(const Shape& shape, uint64_t seed) {
  Random rng(seed);
  Tensor t(DType::f32, shape);
  for (float& v : t.values<float>()) v = 2.0f * rng.uniform() - 1.0f;
  return t;
}

// Builds a graph node by node; every node is named after its output.
class GraphMaker {
 public:
  std::string input(const std::string& name, Shape shape) {
    graph_.inputs.push_back({name, DType::f32, std::move(shape)});
    return name;
  }
  std::string weight(const std::string& name, const Shape& shape) {
    graph_.initializers[name] = random_tensor(shape, ++seed_);
    return name;
  }
  std::string constant(const std::string& name, Tensor value) {
    graph_.initializers[name] = std::move(value);
    return name;
  }
  std::string node(const std::string& op, const std::string& output, std::vector<std::string> inputs,
                   Attributes attrs = {}) {
    graph_.nodes.push_back({output, op, std::move(inputs), {output}, std::move(attrs)});
    return output;
  }
  // Marks `value` as a graph output (its shape inferred from the graph so far).
  GraphMaker& output(const std::string& value) {
    graph_.outputs.push_back({value, DType::f32, infer_shapes(graph_).at(value).shape});
    return *this;
  }
  const Graph& graph() const { return graph_; }

 private:
  Graph graph_;
  uint64_t seed_ = 100;
};

// Seeded values in [-1, 1) for every graph input (negative values matter to the activations).
inline TensorMap signed_random_inputs(const Graph& graph, const std::map<std::string, Shape>& shapes,
                                      uint64_t seed = 1) {
  const GraphShapes inferred = infer_shapes(graph, shapes);
  TensorMap inputs;
  for (const auto& v : graph.inputs) inputs[v.name] = random_tensor(inferred.at(v.name).shape, seed++);
  return inputs;
}

inline Attributes attributes(std::initializer_list<std::pair<std::string, AttrValue>> values) {
  Attributes a;
  for (const auto& [name, value] : values) a.set(name, value);
  return a;
}

using Ints = std::vector<int64_t>;

}  // namespace stride::testing
