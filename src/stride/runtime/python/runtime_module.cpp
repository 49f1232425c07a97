// The Python module stride._runtime: stride.Session over the C API of libstride_runtime, so that
// Python sees exactly what a C application sees.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "stride/stride.h"

namespace py = pybind11;

namespace {

// Raised to Python as stride.Error (a RuntimeError): a failure while working.
class Failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A status as the Python exception that fits it.
void check(stride_status status) {
  switch (status) {
    case STRIDE_OK:
      return;
    case STRIDE_INVALID_ARGUMENT:
      throw py::value_error(stride_last_error());
    case STRIDE_OUT_OF_MEMORY:
      throw std::bad_alloc();
    default:
      throw Failure(stride_last_error());
  }
}

std::vector<std::string> names(const stride_session* s, size_t count,
                               const char* (*name)(const stride_session*, size_t)) {
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) out.emplace_back(name(s, i));
  return out;
}

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& v : values) text += (text.empty() ? "'" : ", '") + v + "'";
  return text;
}

class Session {
 public:
  // `source`: a path (str or os.PathLike) or the model's bytes.
  Session(const py::object& source, const std::string& backend, int threads) {
    stride_model* raw = nullptr;
    if (py::isinstance<py::bytes>(source)) {
      const std::string bytes = source.cast<std::string>();
      check(stride_model_load_buffer(bytes.data(), bytes.size(), &raw));
    } else {
      const std::string path = py::str(py::module_::import("os").attr("fspath")(source));
      check(stride_model_load(path.c_str(), &raw));
    }
    const std::unique_ptr<stride_model, void (*)(stride_model*)> model(raw, stride_model_free);
    stride_session* session = nullptr;
    check(stride_session_create(model.get(), backend.c_str(), threads, &session));
    session_.reset(session);
    inputs_ = names(session, stride_session_input_count(session), stride_session_input_name);
    outputs_ = names(session, stride_session_output_count(session), stride_session_output_name);
  }

  py::dict run(const py::dict& feeds) {
    for (const auto& [key, value] : feeds) {
      const std::string name = py::str(key);
      if (std::find(inputs_.begin(), inputs_.end(), name) == inputs_.end())
        throw py::value_error("'" + name + "' is not an input of the model (its inputs: " + joined(inputs_) + ")");
    }
    std::vector<py::array_t<float, py::array::c_style>> arrays;
    std::vector<std::vector<int64_t>> shapes;
    for (const std::string& name : inputs_) {
      if (!feeds.contains(name))
        throw py::value_error("missing input '" + name + "' (the model's inputs: " + joined(inputs_) + ")");
      const py::object value = feeds[py::str(name)];
      if (!py::isinstance<py::array>(value))
        throw py::type_error("input '" + name + "' is a " + std::string(py::str(value.get_type().attr("__name__"))) +
                             "; pass a numpy array of float32");
      const py::array array = value.cast<py::array>();
      if (!array.dtype().is(py::dtype::of<float>()))
        throw py::type_error("input '" + name + "' is " + std::string(py::str(array.dtype())) +
                             "; pass it as float32 (array.astype(numpy.float32))");
      arrays.push_back(py::array_t<float, py::array::c_style>::ensure(array));  // C order, copied only if not
      shapes.emplace_back(array.shape(), array.shape() + array.ndim());
    }
    std::vector<const float*> data;
    std::vector<const int64_t*> shape_ptrs;
    std::vector<size_t> ranks;
    for (size_t i = 0; i < arrays.size(); ++i) {
      data.push_back(arrays[i].data());
      shape_ptrs.push_back(shapes[i].data());
      ranks.push_back(shapes[i].size());
    }
    stride_status status;
    {
      const py::gil_scoped_release unlocked;  // the arrays stay alive in `arrays`
      status = stride_session_run(session_.get(), data.size(), data.data(), shape_ptrs.data(), ranks.data());
    }
    check(status);
    py::dict results;
    for (size_t i = 0; i < outputs_.size(); ++i) {
      const float* values = nullptr;
      const int64_t* shape = nullptr;
      size_t rank = 0;
      check(stride_session_output(session_.get(), i, &values, &shape, &rank));
      py::array_t<float> out(std::vector<py::ssize_t>(shape, shape + rank));                     // owns a copy: the
      std::memcpy(out.mutable_data(), values, static_cast<size_t>(out.size()) * sizeof(float));  // next run reuses
      results[py::str(outputs_[i])] = std::move(out);
    }
    return results;
  }

  py::list input_shapes() const {
    py::list shapes;
    for (size_t i = 0; i < inputs_.size(); ++i) {
      const int64_t* shape = nullptr;
      size_t rank = 0;
      check(stride_session_input_shape(session_.get(), i, &shape, &rank));
      py::list dims;
      for (size_t d = 0; d < rank; ++d) dims.append(shape[d] < 0 ? py::object(py::none()) : py::int_(shape[d]));
      shapes.append(dims);
    }
    return shapes;
  }

  const std::vector<std::string>& input_names() const { return inputs_; }
  const std::vector<std::string>& output_names() const { return outputs_; }
  std::string backend() const { return stride_session_backend(session_.get()); }

 private:
  std::unique_ptr<stride_session, void (*)(stride_session*)> session_{nullptr, stride_session_free};
  std::vector<std::string> inputs_, outputs_;
};

}  // namespace

PYBIND11_MODULE(_runtime, m) {
  m.doc() = "Stride's runtime (libstride_runtime) for Python";
  py::register_exception<Failure>(m, "Error", PyExc_RuntimeError);
  m.def("version", &stride_version, "The runtime library's version, e.g. '0.1.0'");
  py::class_<Session>(m, "Session", "A model compiled for one backend, run on dicts of float32 numpy arrays")
      .def(py::init<const py::object&, const std::string&, int>(), py::arg("model"), py::arg("backend") = "auto",
           py::arg("threads") = 0,
           "model: a path or the model's bytes; backend: 'auto', 'onednn', 'ref' or 'xnnpack'; threads: 0 = all cores")
      .def("run", &Session::run, py::arg("inputs"), "{input name: ndarray} -> {output name: ndarray}")
      .def_property_readonly("input_names", &Session::input_names)
      .def_property_readonly("output_names", &Session::output_names)
      .def_property_readonly("input_shapes", &Session::input_shapes, "Declared shapes; None for a free dimension")
      .def_property_readonly("backend", &Session::backend, "The backend running the model ('auto' resolved)");
}
