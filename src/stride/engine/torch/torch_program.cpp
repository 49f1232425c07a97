#include "stride/engine/torch/torch_program.h"

#include <cstring>

#include "stride/core/error.h"
#include "stride/engine/torch/torch_ops.h"
#include "stride/ir/shape_inference.h"

namespace stride {
namespace {

torch::ScalarType scalar_type(DType dtype) {
  switch (dtype) {
    case DType::f32: return torch::kFloat;
    case DType::f16: return torch::kHalf;
    case DType::bf16: return torch::kBFloat16;
    case DType::s8: return torch::kChar;
    case DType::u8: return torch::kByte;
    case DType::s32: return torch::kInt;
    case DType::s64: return torch::kLong;
    case DType::f64: break;  // refused by TorchBackend::compile
  }
  fail("the torch backend does not compute on {}", dtype_name(dtype));
}

DType dtype_of(torch::ScalarType type) {
  switch (type) {
    case torch::kFloat: return DType::f32;
    case torch::kHalf: return DType::f16;
    case torch::kBFloat16: return DType::bf16;
    case torch::kChar: return DType::s8;
    case torch::kByte: return DType::u8;
    case torch::kInt: return DType::s32;
    case torch::kLong: return DType::s64;
    default: fail("LibTorch tensor type {} has no Stride dtype", c10::toString(type));
  }
}

}  // namespace

torch::Tensor to_torch(const Tensor& tensor) {
  const std::vector<int64_t> sizes(tensor.shape().begin(), tensor.shape().end());
  torch::Tensor t = torch::empty(sizes, torch::TensorOptions().dtype(scalar_type(tensor.dtype())));
  std::memcpy(t.data_ptr(), tensor.raw(), tensor.nbytes());
  return t;
}

Tensor from_torch(const torch::Tensor& tensor) {
  const torch::Tensor c = tensor.detach().cpu().contiguous();
  Tensor out(dtype_of(c.scalar_type()), Shape(c.sizes().begin(), c.sizes().end()));
  std::memcpy(out.raw(), c.data_ptr(), out.nbytes());
  return out;
}

bool torch_supports(const std::string& op_type) { return torch_ops::find(op_type) != nullptr; }

TorchProgram::TorchProgram(Graph graph) : graph_(sorted(std::move(graph))) {
  for (const auto& [name, t] : graph_.initializers) {
    if (graph_.input(name)) continue;
    const bool is_float = t.dtype() == DType::f32 || t.dtype() == DType::f16 || t.dtype() == DType::bf16;
    (is_float ? parameters_ : constants_)[name] = to_torch(t);
  }
}

const std::map<std::string, Shape>& TorchProgram::shapes_for(const TorchTensorMap& inputs) {
  std::vector<Shape> key;
  std::map<std::string, Shape> input_shapes;
  for (const auto& v : graph_.inputs) {
    auto it = inputs.find(v.name);
    if (it == inputs.end()) fail("missing input '{}'", v.name);
    input_shapes[v.name] = Shape(it->second.sizes().begin(), it->second.sizes().end());
    key.push_back(input_shapes[v.name]);
  }
  auto cached = shape_cache_.find(key);
  if (cached != shape_cache_.end()) return cached->second;
  std::map<std::string, Shape> shapes;
  for (const auto& [name, info] : infer_shapes(graph_, input_shapes).values) shapes[name] = info.shape;
  return shape_cache_.emplace(std::move(key), std::move(shapes)).first->second;
}

TorchTensorMap TorchProgram::forward(const TorchTensorMap& inputs) {
  const auto& shapes = shapes_for(inputs);
  TorchTensorMap values = inputs;
  auto lookup = [&](const std::string& name) -> const torch::Tensor& {
    if (auto it = values.find(name); it != values.end()) return it->second;
    if (auto it = parameters_.find(name); it != parameters_.end()) return it->second;
    if (auto it = constants_.find(name); it != constants_.end()) return it->second;
    fail("value '{}' is not available", name);
  };
  for (const Node& node : graph_.nodes) {
    const torch_ops::Op* op = torch_ops::find(node.op_type);
    if (!op) fail("node '{}': the torch backend does not support {}", node.name, node.op_type);
    torch_ops::OpContext ctx{node, {}, {}};
    for (const auto& in : node.inputs) ctx.inputs.push_back(in.empty() ? torch::Tensor() : lookup(in));
    for (const auto& out : node.outputs) ctx.output_shapes.push_back(out.empty() ? Shape{} : shapes.at(out));
    std::vector<torch::Tensor> outs = (*op)(ctx);
    for (size_t o = 0; o < node.outputs.size() && o < outs.size(); ++o)
      if (!node.outputs[o].empty()) values[node.outputs[o]] = std::move(outs[o]);
  }
  TorchTensorMap result;
  for (const auto& o : graph_.outputs) result[o.name] = lookup(o.name);
  return result;
}

void TorchProgram::write_back(Graph& graph) const {
  for (const auto& [name, t] : parameters_) {
    auto it = graph.initializers.find(name);
    if (it == graph.initializers.end()) fail("parameter '{}' is not an initializer of the graph", name);
    it->second = from_torch(t).cast(it->second.dtype());
  }
}

}  // namespace stride
