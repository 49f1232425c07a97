/* Stride runtime: run a Stride (or any supported ONNX) model from C, C++ or any language with a C
 * foreign-function interface. Link with `pkg-config --cflags --libs stride-runtime`.
 *
 * Conventions
 * - Handles are opaque; each is freed by its own *_free function (NULL is accepted there).
 * - Every call that can fail returns a stride_status; on failure stride_last_error() gives a one-line
 *   message for this thread. No C++ exception ever leaves the library.
 * - A model is the parsed file; a session is a model compiled for one backend and thread count. A
 *   session copies what it needs from the model: the model may be freed while sessions live.
 * - One session is used by one thread at a time; different sessions may run in parallel.
 * - The library installs no signal handler and leaves the calling thread's OpenMP thread count as
 *   it found it. It reads no environment variable of its own; the oneDNN library it uses reads its
 *   documented ONEDNN_* variables (e.g. ONEDNN_MAX_CPU_ISA, ONEDNN_VERBOSE).
 * - Memory: work that would need more than 3/4 of the machine's physical memory is refused with a
 *   message before it starts.
 *
 * Example (error checks shortened):
 *   stride_model* m;  stride_session* s;
 *   stride_model_load("gaitset.onnx", &m);
 *   stride_session_create(m, "auto", 0, &s);
 *   const int64_t shape[] = {1, 30, 64, 44};  const int64_t* shapes[] = {shape};
 *   const size_t rank = 4;  const float* inputs[] = {frames};
 *   if (stride_session_run(s, 1, inputs, shapes, &rank) != STRIDE_OK) puts(stride_last_error());
 *   const float* y; const int64_t* y_shape; size_t y_rank;
 *   stride_session_output(s, 0, &y, &y_shape, &y_rank);
 *   stride_session_free(s);  stride_model_free(m);
 */
#ifndef STRIDE_STRIDE_H
#define STRIDE_STRIDE_H

#include <stddef.h>
#include <stdint.h>

#if defined(STRIDE_BUILDING_RUNTIME)
#define STRIDE_API __attribute__((visibility("default")))
#else
#define STRIDE_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct stride_model stride_model;
typedef struct stride_session stride_session;

typedef enum {
  STRIDE_OK = 0,
  STRIDE_ERROR = 1,            /* a failure while working: unreadable or malformed model, compute error */
  STRIDE_INVALID_ARGUMENT = 2, /* the call itself is wrong: NULL pointer, index, count, rank or shape,
                                  unknown backend, thread count */
  STRIDE_OUT_OF_MEMORY = 3     /* the memory could not be had, or is over the limit */
} stride_status;

/* "0.1.0": the library's version. */
STRIDE_API const char* stride_version(void);
/* Thread-local message of the last failing call on this thread ("" before any failure). */
STRIDE_API const char* stride_last_error(void);

/* An ONNX model from a file, or from its bytes in memory (copied: the buffer may be freed after). */
STRIDE_API stride_status stride_model_load(const char* path, stride_model** model);
STRIDE_API stride_status stride_model_load_buffer(const void* bytes, size_t size, stride_model** model);
STRIDE_API void stride_model_free(stride_model* model);

/* backend: "auto", "onednn", "ref" or "xnnpack"; threads: 0 = all cores.
 * "auto" compiles the model on onednn and xnnpack, keeps those leaving the least work to reference
 * kernels, times them (a few runs each at batch 1, random inputs) and takes the fastest — ref only
 * when neither runs every op. A model whose non-batch dimensions are symbolic is not timed: the
 * first of onednn, xnnpack that runs every op. The choice is remembered for the process, per
 * model, threads and machine; stride_session_backend() says which. A named backend that lacks an op
 * of the model is refused here, naming every such op. */
STRIDE_API stride_status stride_session_create(const stride_model* model, const char* backend, int threads,
                                               stride_session** session);
STRIDE_API void stride_session_free(stride_session* session);
/* The backend the session runs on ("onednn", "xnnpack", "ref"): never "auto". NULL for a NULL session. */
STRIDE_API const char* stride_session_backend(const stride_session* session);

/* The model's inputs and outputs, in the model's order. A name is valid while the session lives;
 * an index out of range gives NULL (and sets the error message). */
STRIDE_API size_t stride_session_input_count(const stride_session* session);
STRIDE_API const char* stride_session_input_name(const stride_session* session, size_t i);
STRIDE_API size_t stride_session_output_count(const stride_session* session);
STRIDE_API const char* stride_session_output_name(const stride_session* session, size_t i);
/* The declared shape of input i; -1 for a dimension the model leaves free (usually the batch). */
STRIDE_API stride_status stride_session_input_shape(const stride_session* session, size_t i, const int64_t** shape,
                                                    size_t* rank);

/* f32 inputs in the order of the model's inputs; the batch may change between runs. data[i] holds
 * the product of shapes[i][0..ranks[i]) floats, C order. Integer inputs of a full-integer model are
 * given as real values too: the session quantizes them with the model's own scales. */
STRIDE_API stride_status stride_session_run(stride_session* session, size_t n_inputs, const float* const* data,
                                            const int64_t* const* shapes, const size_t* ranks);
/* valid until the next run or stride_session_free */
STRIDE_API stride_status stride_session_output(const stride_session* session, size_t i, const float** data,
                                               const int64_t** shape, size_t* rank);

#ifdef __cplusplus
}
#endif

#endif /* STRIDE_STRIDE_H */
