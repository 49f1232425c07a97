// The C API (include/stride/stride.h) over runtime::Session: argument checks, and every exception
// turned into a status and a thread-local message.
#include <fmt/format.h>

#include <memory>
#include <new>
#include <string>
#include <string_view>

#include "stride/core/memory_budget.h"
#include "stride/core/printable.h"
#include "stride/core/version.h"
#include "stride/onnx/onnx_import.h"
#include "stride/runtime/session.h"
#include "stride/stride.h"

// The handles own what they name; the caller frees them with the *_free functions.
struct stride_model {
  explicit stride_model(stride::Graph g) : graph(std::move(g)) {}
  stride::Graph graph;
};

struct stride_session {
  stride_session(const stride::Graph& model, const std::string& backend, int threads)
      : session(model, backend, threads) {}
  stride::runtime::Session session;
};

namespace {

using stride::runtime::InvalidArgument;

thread_local std::string last_error;

stride_status failed(stride_status status, std::string_view message) {
  last_error = stride::printable(message);  // one line, whatever a file's names hold
  return status;
}

// Runs `body`; any exception becomes a status and the thread's message.
template <typename Body>
stride_status guarded(Body&& body) {
  try {
    body();
    return STRIDE_OK;
  } catch (const InvalidArgument& e) {
    return failed(STRIDE_INVALID_ARGUMENT, e.what());
  } catch (const stride::MemoryLimitExceeded& e) {
    return failed(STRIDE_OUT_OF_MEMORY, e.what());
  } catch (const std::bad_alloc&) {
    return failed(STRIDE_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return failed(STRIDE_ERROR, e.what());
  } catch (...) {
    return failed(STRIDE_ERROR, "unknown error");
  }
}

void require(const void* pointer, const char* what) {
  if (!pointer) throw InvalidArgument(fmt::format("{} is NULL", what));
}

const stride::ValueInfo& value_at(const std::vector<stride::ValueInfo>& values, size_t i, const char* kind) {
  if (i >= values.size())
    throw InvalidArgument(fmt::format("{} index {} is out of range (the model has {})", kind, i, values.size()));
  return values[i];
}

// A name for the C caller, or NULL with the message set.
const char* name_at(const stride_session* session, size_t i, bool input) {
  const char* name = nullptr;
  guarded([&] {
    require(session, "session");
    const auto& s = session->session;
    name = value_at(input ? s.inputs() : s.outputs(), i, input ? "input" : "output").name.c_str();
  });
  return name;
}

}  // namespace

extern "C" {

const char* stride_version(void) { return stride::version(); }

const char* stride_last_error(void) { return last_error.c_str(); }

stride_status stride_model_load(const char* path, stride_model** model) {
  return guarded([&] {
    require(model, "model (the handle to fill)");
    *model = nullptr;
    require(path, "path");
    *model = std::make_unique<stride_model>(stride::load_onnx(path)).release();
  });
}

stride_status stride_model_load_buffer(const void* bytes, size_t size, stride_model** model) {
  return guarded([&] {
    require(model, "model (the handle to fill)");
    *model = nullptr;
    require(bytes, "bytes");
    if (size == 0) throw InvalidArgument("the model buffer is empty (size 0)");
    const std::string_view view(static_cast<const char*>(bytes), size);
    *model = std::make_unique<stride_model>(stride::parse_onnx(view, "model buffer")).release();
  });
}

void stride_model_free(stride_model* model) { delete model; }

stride_status stride_session_create(const stride_model* model, const char* backend, int threads,
                                    stride_session** session) {
  return guarded([&] {
    require(session, "session (the handle to fill)");
    *session = nullptr;
    require(model, "model");
    require(backend, "backend");
    *session = std::make_unique<stride_session>(model->graph, backend, threads).release();
  });
}

void stride_session_free(stride_session* session) { delete session; }

const char* stride_session_backend(const stride_session* session) {
  return session ? session->session.backend().c_str() : nullptr;
}

size_t stride_session_input_count(const stride_session* session) {
  return session ? session->session.inputs().size() : 0;
}

const char* stride_session_input_name(const stride_session* session, size_t i) { return name_at(session, i, true); }

size_t stride_session_output_count(const stride_session* session) {
  return session ? session->session.outputs().size() : 0;
}

const char* stride_session_output_name(const stride_session* session, size_t i) { return name_at(session, i, false); }

stride_status stride_session_input_shape(const stride_session* session, size_t i, const int64_t** shape, size_t* rank) {
  return guarded([&] {
    require(session, "session");
    require(shape, "shape");
    require(rank, "rank");
    const stride::ValueInfo& v = value_at(session->session.inputs(), i, "input");
    *shape = v.shape.data();
    *rank = v.shape.size();
  });
}

stride_status stride_session_run(stride_session* session, size_t n_inputs, const float* const* data,
                                 const int64_t* const* shapes, const size_t* ranks) {
  return guarded([&] {
    require(session, "session");
    if (n_inputs > 0) {
      require(data, "data");
      require(shapes, "shapes");
      require(ranks, "ranks");
    }
    std::vector<stride::runtime::InputView> views(n_inputs);
    for (size_t i = 0; i < n_inputs; ++i) {
      if (ranks[i] > 0 && !shapes[i]) throw InvalidArgument(fmt::format("shapes[{}] is NULL", i));
      if (ranks[i] > 64)
        throw InvalidArgument(fmt::format("ranks[{}] is {}: no model has that many dimensions", i, ranks[i]));
      views[i].data = data[i];
      views[i].shape.assign(shapes[i], shapes[i] + ranks[i]);
    }
    session->session.run(views);
  });
}

stride_status stride_session_output(const stride_session* session, size_t i, const float** data, const int64_t** shape,
                                    size_t* rank) {
  return guarded([&] {
    require(session, "session");
    require(data, "data");
    require(shape, "shape");
    require(rank, "rank");
    const auto& results = session->session.results();
    if (results.empty()) throw InvalidArgument("no outputs yet: the session has not run, or its last run failed");
    value_at(session->session.outputs(), i, "output");
    const stride::Tensor& t = results[i];
    *data = t.data<float>();
    *shape = t.shape().data();
    *rank = t.shape().size();
  });
}

}  // extern "C"
