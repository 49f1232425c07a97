#pragma once
// stride::AttrValue <-> onnx::AttributeProto, for the attribute kinds Stride's IR holds.
#include <onnx/onnx_pb.h>

#include <string>
#include <string_view>

#include "stride/ir/attributes.h"

namespace stride::onnx_io {

// `node` names the node for errors ("node 'conv1' (Conv)"). Graph, sparse-tensor and type
// attributes, and attributes without a type, are refused.
AttrValue attribute_from_proto(const onnx::AttributeProto& proto, std::string_view node);

onnx::AttributeProto attribute_to_proto(const std::string& name, const AttrValue& value);

}  // namespace stride::onnx_io
