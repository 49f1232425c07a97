/* Classifies one sample with a Stride model through the C API alone.
 *   cc classify.c $(pkg-config --cflags --libs stride-runtime) -o classify
 *   ./classify cnn2d.onnx sample.npy        (a float32 .npy of one sample, e.g. from `stride run -o`)
 * Prints the class with the highest score of the model's last output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stride/stride.h>

/* The float32 values of a little-endian, C-order .npy file; NULL on anything else. */
static float* read_npy(const char* path, size_t* count) {
  FILE* f = fopen(path, "rb");
  unsigned char head[10];
  float* values = NULL;
  if (!f) return NULL;
  if (fread(head, 1, 10, f) == 10 && memcmp(head, "\x93NUMPY", 6) == 0 && head[6] == 1) {
    size_t header = head[8] | (size_t)head[9] << 8;
    char* text = calloc(header + 1, 1);
    long end;
    if (text && fread(text, 1, header, f) == header && strstr(text, "'<f4'") && strstr(text, "False") &&
        fseek(f, 0, SEEK_END) == 0 && (end = ftell(f)) > 0) {
      *count = ((size_t)end - 10 - header) / sizeof(float);
      values = malloc(*count * sizeof(float) + 1);
      if (values && (fseek(f, (long)(10 + header), SEEK_SET) != 0 || fread(values, sizeof(float), *count, f) != *count)) {
        free(values);
        values = NULL;
      }
    }
    free(text);
  }
  fclose(f);
  return values;
}

static int fail(const char* what) {
  fprintf(stderr, "classify: %s: %s\n", what, stride_last_error());
  return 1;
}

int main(int argc, char** argv) {
  stride_model* model = NULL;
  stride_session* session = NULL;
  const int64_t *declared, *out_shape;
  const float* scores;
  size_t rank, out_rank, count = 0, expected = 1, best = 0, i;
  if (argc != 3) return fprintf(stderr, "usage: classify MODEL.onnx SAMPLE.npy\n"), 2;
  float* sample = read_npy(argv[2], &count);
  if (!sample) return fprintf(stderr, "classify: %s is not a float32 .npy file\n", argv[2]), 1;
  if (stride_model_load(argv[1], &model) != STRIDE_OK) return fail("loading the model");
  if (stride_session_create(model, "auto", 0, &session) != STRIDE_OK) return fail("compiling the model");
  stride_session_input_shape(session, 0, &declared, &rank);
  int64_t shape[16];
  for (i = 0; i < rank && i < 16; ++i) expected *= (size_t)(shape[i] = declared[i] < 0 ? 1 : declared[i]);
  if (expected != count) return fprintf(stderr, "classify: the sample has %zu values, one input takes %zu\n", count, expected), 1;
  const float* inputs[] = {sample};
  const int64_t* shapes[] = {shape};
  if (stride_session_run(session, 1, inputs, shapes, &rank) != STRIDE_OK) return fail("running the model");
  stride_session_output(session, stride_session_output_count(session) - 1, &scores, &out_shape, &out_rank);
  for (i = 1; i < (size_t)out_shape[out_rank - 1]; ++i)
    if (scores[i] > scores[best]) best = i;
  printf("class %zu (score %.4f) on %s\n", best, scores[best], stride_session_backend(session));
  stride_session_free(session);
  stride_model_free(model);
  free(sample);
  return 0;
}
