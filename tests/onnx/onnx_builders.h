#pragma once
// Hand-built ONNX protobufs for the tests: models laid out the way other producers (tf2onnx,
// torch.onnx) write them, and deliberately broken ones. Written straight against the protobuf
// API so that the importer is tested against ONNX itself, not against Stride's exporter.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

namespace stride::testing {

// A dim of a value info: a size, a symbolic name ("batch_size") or, default, unknown.
struct Dim {
  Dim() = default;
  Dim(int64_t v) : value(v) {}      // NOLINT: dims read naturally as {1, "batch", 3}
  Dim(const char* p) : param(p) {}  // NOLINT
  int64_t value = -1;
  std::string param;
};

onnx::ModelProto make_model(int64_t opset, const std::string& producer = "test");
std::string bytes_of(const onnx::ModelProto& model);

void add_input(onnx::GraphProto& graph, const std::string& name, const std::vector<Dim>& dims,
               int32_t elem_type = onnx::TensorProto::FLOAT);
void add_output(onnx::GraphProto& graph, const std::string& name, const std::vector<Dim>& dims,
                int32_t elem_type = onnx::TensorProto::FLOAT);
onnx::NodeProto& add_node(onnx::GraphProto& graph, const std::string& op, const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs, const std::string& name = "");

void set_int(onnx::NodeProto& node, const std::string& name, int64_t v);
void set_float(onnx::NodeProto& node, const std::string& name, float v);
void set_string(onnx::NodeProto& node, const std::string& name, const std::string& v);
void set_ints(onnx::NodeProto& node, const std::string& name, const std::vector<int64_t>& v);
void set_floats(onnx::NodeProto& node, const std::string& name, const std::vector<float>& v);
void set_tensor(onnx::NodeProto& node, const std::string& name, const onnx::TensorProto& v);

// Tensors with raw_data (how tf2onnx and torch.onnx write weights).
onnx::TensorProto raw_float_tensor(const std::string& name, const std::vector<int64_t>& dims,
                                   const std::vector<float>& values);
onnx::TensorProto raw_int64_tensor(const std::string& name, const std::vector<int64_t>& dims,
                                   const std::vector<int64_t>& values);
// Tensors with the typed repeated fields instead.
onnx::TensorProto typed_float_tensor(const std::string& name, const std::vector<int64_t>& dims,
                                     const std::vector<float>& values);
onnx::TensorProto typed_int64_tensor(const std::string& name, const std::vector<int64_t>& dims,
                                     const std::vector<int64_t>& values);

void add_initializer(onnx::GraphProto& graph, onnx::TensorProto tensor);

}  // namespace stride::testing
