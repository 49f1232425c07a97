#include "onnx/onnx_builders.h"

#include <cstring>

namespace stride::testing {
namespace {

void add_value_info(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>& infos, const std::string& name,
                    const std::vector<Dim>& dims, int32_t elem_type) {
  auto* info = infos.Add();
  info->set_name(name);
  auto* type = info->mutable_type()->mutable_tensor_type();
  type->set_elem_type(elem_type);
  auto* shape = type->mutable_shape();
  for (const Dim& d : dims) {
    auto* dim = shape->add_dim();
    if (!d.param.empty())
      dim->set_dim_param(d.param);
    else if (d.value >= 0)
      dim->set_dim_value(d.value);
  }
}

onnx::AttributeProto& add_attribute(onnx::NodeProto& node, const std::string& name,
                                    onnx::AttributeProto::AttributeType type) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(type);
  return *a;
}

template <typename T>
onnx::TensorProto raw_tensor(const std::string& name, const std::vector<int64_t>& dims, const std::vector<T>& values,
                             onnx::TensorProto::DataType type) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(type);
  for (int64_t d : dims) t.add_dims(d);
  std::string raw(values.size() * sizeof(T), '\0');
  if (!values.empty()) std::memcpy(raw.data(), values.data(), raw.size());
  t.set_raw_data(raw);
  return t;
}

}  // namespace

onnx::ModelProto make_model(int64_t opset, const std::string& producer) {
  onnx::ModelProto m;
  m.set_ir_version(opset >= 13 ? 7 : 6);
  m.set_producer_name(producer);
  m.add_opset_import()->set_version(opset);
  m.mutable_graph()->set_name(producer + "_graph");
  return m;
}

std::string bytes_of(const onnx::ModelProto& model) { return model.SerializeAsString(); }

void add_input(onnx::GraphProto& graph, const std::string& name, const std::vector<Dim>& dims, int32_t elem_type) {
  add_value_info(*graph.mutable_input(), name, dims, elem_type);
}

void add_output(onnx::GraphProto& graph, const std::string& name, const std::vector<Dim>& dims, int32_t elem_type) {
  add_value_info(*graph.mutable_output(), name, dims, elem_type);
}

onnx::NodeProto& add_node(onnx::GraphProto& graph, const std::string& op, const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs, const std::string& name) {
  auto* n = graph.add_node();
  n->set_op_type(op);
  if (!name.empty()) n->set_name(name);
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& o : outputs) n->add_output(o);
  return *n;
}

void set_int(onnx::NodeProto& node, const std::string& name, int64_t v) {
  add_attribute(node, name, onnx::AttributeProto::INT).set_i(v);
}
void set_float(onnx::NodeProto& node, const std::string& name, float v) {
  add_attribute(node, name, onnx::AttributeProto::FLOAT).set_f(v);
}
void set_string(onnx::NodeProto& node, const std::string& name, const std::string& v) {
  add_attribute(node, name, onnx::AttributeProto::STRING).set_s(v);
}
void set_ints(onnx::NodeProto& node, const std::string& name, const std::vector<int64_t>& v) {
  auto& a = add_attribute(node, name, onnx::AttributeProto::INTS);
  for (int64_t x : v) a.add_ints(x);
}
void set_floats(onnx::NodeProto& node, const std::string& name, const std::vector<float>& v) {
  auto& a = add_attribute(node, name, onnx::AttributeProto::FLOATS);
  for (float x : v) a.add_floats(x);
}
void set_tensor(onnx::NodeProto& node, const std::string& name, const onnx::TensorProto& v) {
  *add_attribute(node, name, onnx::AttributeProto::TENSOR).mutable_t() = v;
}

onnx::TensorProto raw_float_tensor(const std::string& name, const std::vector<int64_t>& dims,
                                   const std::vector<float>& values) {
  return raw_tensor(name, dims, values, onnx::TensorProto::FLOAT);
}
onnx::TensorProto raw_int64_tensor(const std::string& name, const std::vector<int64_t>& dims,
                                   const std::vector<int64_t>& values) {
  return raw_tensor(name, dims, values, onnx::TensorProto::INT64);
}

onnx::TensorProto typed_float_tensor(const std::string& name, const std::vector<int64_t>& dims,
                                     const std::vector<float>& values) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t.add_dims(d);
  for (float v : values) t.add_float_data(v);
  return t;
}
onnx::TensorProto typed_int64_tensor(const std::string& name, const std::vector<int64_t>& dims,
                                     const std::vector<int64_t>& values) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::INT64);
  for (int64_t d : dims) t.add_dims(d);
  for (int64_t v : values) t.add_int64_data(v);
  return t;
}

void add_initializer(onnx::GraphProto& graph, onnx::TensorProto tensor) {
  *graph.add_initializer() = std::move(tensor);
}

}  // namespace stride::testing
