#include "stride/engine/onednn/dnnl_util.h"

#include <oneapi/dnnl/dnnl_debug.h>

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

memory::desc plain_desc(const memory::dims& dims) {
  const memory::dims d = to_dims(dims);
  return memory::desc(d, memory::data_type::f32, row_major_strides(d));
}

memory::desc any_desc(const memory::dims& dims) {
  return memory::desc(dims, memory::data_type::f32, memory::format_tag::any);
}

bool is_plain(const memory::desc& desc) {
  const dnnl_memory_desc_t& d = desc.data;
  if (d.data_type != dnnl_f32 || d.format_kind != dnnl_blocked || d.format_desc.blocking.inner_nblks != 0) return false;
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

bool is_reference_implementation(const std::string& implementation) { return implementation.rfind("ref", 0) == 0; }

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

std::string primitive_kind_name(const dnnl::primitive_desc_base& pd) {
  return dnnl_prim_kind2str(static_cast<dnnl_primitive_kind_t>(pd.get_kind()));
}

memory::dims onednn_dilations(const std::vector<int64_t>& dilations) {
  memory::dims out;
  for (int64_t d : dilations) out.push_back(d - 1);
  return out;
}

}  // namespace stride::onednn
