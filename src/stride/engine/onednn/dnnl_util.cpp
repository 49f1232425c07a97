#include "stride/engine/onednn/dnnl_util.h"

#include <oneapi/dnnl/dnnl_debug.h>

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

std::string primitive_kind_name(const dnnl::primitive_desc_base& pd) {
  return dnnl_prim_kind2str(static_cast<dnnl_primitive_kind_t>(pd.get_kind()));
}

memory::dims onednn_dilations(const std::vector<int64_t>& dilations) {
  memory::dims out;
  for (int64_t d : dilations) out.push_back(d - 1);
  return out;
}

}  // namespace stride::onednn
