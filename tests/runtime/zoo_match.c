/* Written against stride/stride.h alone, built from an install prefix with pkg-config (see
 * install_test.sh): loads MODEL from a buffer, runs it on BACKEND with the inputs `stride run
 * --random -o DIR` wrote (DIR/<input>.npy) and compares every output with the one `stride run`
 * wrote (DIR/<output>.npy). Exit 0 when all match within tolerance; one line per output either way. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stride/stride.h>

#define MAX_RANK 8

typedef struct {
  float* values;
  int64_t shape[MAX_RANK];
  size_t rank;
  size_t count;
} npy;

static void* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  char* bytes = NULL;
  long end;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (end = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
    bytes = malloc((size_t)end + 1);
    if (bytes && fread(bytes, 1, (size_t)end, f) == (size_t)end) {
      bytes[end] = 0; /* the .npy header is then a C string */
      *size = (size_t)end;
    } else {
      free(bytes);
      bytes = NULL;
    }
  }
  fclose(f);
  return bytes;
}

/* A float32, C-order .npy file of version 1: its shape and values. */
static int read_npy(const char* path, npy* out) {
  size_t size = 0;
  unsigned char* bytes = read_file(path, &size);
  if (!bytes || size < 10 || memcmp(bytes, "\x93NUMPY", 6) != 0 || bytes[6] != 1) return free(bytes), 0;
  const size_t header = bytes[8] | (size_t)bytes[9] << 8;
  const char* text = (const char*)bytes + 10;
  const char* shape = strstr(text, "'shape': (");
  if (10 + header > size || !strstr(text, "'<f4'") || !strstr(text, "False") || !shape) return free(bytes), 0;
  out->rank = 0;
  out->count = 1;
  for (char* p = (char*)shape + 10; *p != ')' && out->rank < MAX_RANK;) {
    out->shape[out->rank] = strtoll(p, &p, 10);
    out->count *= (size_t)out->shape[out->rank++];
    while (*p == ',' || *p == ' ') ++p;
  }
  if ((size - 10 - header) != out->count * sizeof(float)) return free(bytes), 0;
  out->values = malloc(out->count * sizeof(float) + 1);
  memcpy(out->values, bytes + 10 + header, out->count * sizeof(float));
  free(bytes);
  return 1;
}

/* `stride run` names a tensor file after its value, with '/', '\\' and ':' made '_'. */
static void tensor_path(char* path, size_t size, const char* dir, const char* value) {
  snprintf(path, size, "%s/%s.npy", dir, value);
  for (char* p = path + strlen(dir) + 1; *p; ++p)
    if (*p == '/' || *p == '\\' || *p == ':') *p = '_';
}

static int fail(const char* what) {
  fprintf(stderr, "zoo_match: %s: %s\n", what, stride_last_error());
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 4) return fprintf(stderr, "usage: zoo_match MODEL BACKEND DIR\n"), 2;
  size_t size = 0;
  void* bytes = read_file(argv[1], &size);
  if (!bytes) return fprintf(stderr, "zoo_match: cannot read %s\n", argv[1]), 1;
  stride_model* model = NULL;
  stride_session* session = NULL;
  if (stride_model_load_buffer(bytes, size, &model) != STRIDE_OK) return fail("load");
  free(bytes);
  if (stride_session_create(model, argv[2], 0, &session) != STRIDE_OK) return fail("session");
  const size_t n = stride_session_input_count(session);
  if (n > 8) return fprintf(stderr, "zoo_match: %zu inputs, at most 8 here\n", n), 1;
  npy inputs[8];
  const float* data[8];
  const int64_t* shapes[8];
  size_t ranks[8];
  char path[4096];
  for (size_t i = 0; i < n; ++i) {
    tensor_path(path, sizeof path, argv[3], stride_session_input_name(session, i));
    if (!read_npy(path, &inputs[i])) return fprintf(stderr, "zoo_match: cannot read %s\n", path), 1;
    data[i] = inputs[i].values;
    shapes[i] = inputs[i].shape;
    ranks[i] = inputs[i].rank;
  }
  if (stride_session_run(session, n, data, shapes, ranks) != STRIDE_OK) return fail("run");
  int matched = 1;
  for (size_t o = 0; o < stride_session_output_count(session); ++o) {
    npy expected;
    const float* got;
    const int64_t* shape;
    size_t rank;
    const char* name = stride_session_output_name(session, o);
    tensor_path(path, sizeof path, argv[3], name);
    if (!read_npy(path, &expected)) return fprintf(stderr, "zoo_match: cannot read %s\n", path), 1;
    if (stride_session_output(session, o, &got, &shape, &rank) != STRIDE_OK) return fail("output");
    int same_shape = rank == expected.rank;
    for (size_t d = 0; same_shape && d < rank; ++d) same_shape = shape[d] == expected.shape[d];
    double largest = 1e-6, worst = same_shape ? 0 : INFINITY;
    for (size_t k = 0; same_shape && k < expected.count; ++k) {
      largest = fmax(largest, fabs(expected.values[k]));
      worst = fmax(worst, fabs((double)got[k] - expected.values[k]));
    }
    /* onednn sums in another order (and with FMA) than ref: a relative error, not bit equality */
    const int ok = same_shape && worst <= 1e-4 * largest;
    printf("%s %s on %s: max |difference| %.3g of max |value| %.3g: %s\n", argv[1], name,
           stride_session_backend(session), worst, largest, ok ? "match" : "MISMATCH");
    matched = matched && ok;
    free(expected.values);
  }
  for (size_t i = 0; i < n; ++i) free(inputs[i].values);
  stride_session_free(session);
  stride_model_free(model);
  return matched ? 0 : 1;
}
