#include "stride/engine/onednn/dnnl_util.h"

#include <oneapi/dnnl/dnnl_debug.h>

#include "stride/core/error.h"

#include <algorithm>
#include <vector>

namespace stride::onednn {

memory::dims to_dims(const Shape& shape) {
  if (shape.empty()) return {1};
  return memory::dims(shape.begin(), shape.end());
}

static memory::dims row_major_strides(const memory::dims& dims) {
  memory::dims strides(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * dims[i];
  return strides;
}

memory::data_type dnnl_type(DType dtype) {
  switch (dtype) {
    case DType::f32: return memory::data_type::f32;
    case DType::u8: return memory::data_type::u8;
    case DType::s8: return memory::data_type::s8;
    case DType::s32: return memory::data_type::s32;
    case DType::f16: return memory::data_type::f16;
    case DType::bf16: return memory::data_type::bf16;
    default: fail("the onednn backend has no {} tensors", dtype_name(dtype));
  }
}

memory::desc plain_desc(const memory::dims& dims, memory::data_type type) {
  const memory::dims d = to_dims(dims);
  return memory::desc(d, type, row_major_strides(d));
}

memory::desc any_desc(const memory::dims& dims, memory::data_type type) {
  return memory::desc(dims, type, memory::format_tag::any);
}

bool is_plain(const memory::desc& desc) {
  const dnnl_memory_desc_t& d = desc.data;
  if (d.format_kind != dnnl_blocked || d.format_desc.blocking.inner_nblks != 0) return false;
  if (d.offset0 != 0) return false;
  const memory::dims dims = desc.dims();
  const memory::dims expected = row_major_strides(dims);
  for (size_t i = 0; i < dims.size(); ++i)
    if (dims[i] != 1 && d.format_desc.blocking.strides[i] != expected[i]) return false;
  return true;
}

dnnl::primitive_attr scratchpad_attr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

bool is_reference_implementation(const std::string& implementation) {
  size_t part = 0;
  while (part <= implementation.size()) {
    const size_t end = std::min(implementation.find(':', part), implementation.size());
    if (implementation.compare(part, 3, "ref") == 0) return true;
    part = end + 1;
  }
  return false;
}

bool is_reference_step(const std::string& primitive, const std::string& implementation) {
  if (primitive == "rnn" && implementation == "ref") return false;
  return is_reference_implementation(implementation);
}

memory::desc like_layout(const memory::desc& layout, const memory::dims& dims) {
  dnnl_memory_desc_t d = layout.data;
  if (d.format_kind != dnnl_blocked || static_cast<size_t>(d.ndims) != dims.size()) return plain_desc(dims);
  dnnl_blocking_desc_t& blocking = d.format_desc.blocking;
  std::vector<memory::dim> block(dims.size(), 1);
  memory::dim stride = 1;
  for (int k = 0; k < blocking.inner_nblks; ++k) {
    block[static_cast<size_t>(blocking.inner_idxs[k])] *= blocking.inner_blks[k];
    stride *= blocking.inner_blks[k];
  }
  std::vector<size_t> order(dims.size());
  for (size_t a = 0; a < order.size(); ++a) order[a] = a;
  // Innermost first; ties (axes of one element) keep the axes' order, outermost first.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return blocking.strides[a] != blocking.strides[b] ? blocking.strides[a] < blocking.strides[b] : a > b;
  });
  for (size_t a : order) {
    d.dims[a] = dims[a];
    d.padded_dims[a] = (dims[a] + block[a] - 1) / block[a] * block[a];
    d.padded_offsets[a] = 0;
    blocking.strides[a] = stride;
    stride *= d.padded_dims[a] / block[a];
  }
  d.offset0 = 0;
  return memory::desc(d);
}

bool has_exact_int8_dot_product() {
  const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
  const auto has = [isa](dnnl::cpu_isa wanted) { return (isa & static_cast<unsigned>(wanted)) == static_cast<unsigned>(wanted); };
  return has(dnnl::cpu_isa::avx512_core_vnni) || has(dnnl::cpu_isa::avx2_vnni);
}

memory::desc channels_last_desc(const memory::dims& dims, memory::data_type type) {
  switch (dims.size()) {
    case 3: return memory::desc(dims, type, memory::format_tag::nwc);
    case 4: return memory::desc(dims, type, memory::format_tag::nhwc);
    case 5: return memory::desc(dims, type, memory::format_tag::ndhwc);
    default: return plain_desc(dims, type);
  }
}

std::string primitive_kind_name(const dnnl::primitive_desc_base& pd) {
  return dnnl_prim_kind2str(static_cast<dnnl_primitive_kind_t>(pd.get_kind()));
}

memory::dims onednn_dilations(const std::vector<int64_t>& dilations) {
  memory::dims out;
  for (int64_t d : dilations) out.push_back(d - 1);
  return out;
}

}  // namespace stride::onednn
