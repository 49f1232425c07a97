#pragma once
// oneDNN (as Debian builds it) threads through OpenMP and uses as many threads as
// omp_get_max_threads() says, both when it makes a primitive (it picks kernels for that count)
// and when it runs one. A library must not change that setting for its host application, so the
// count is set for one compile or run and the calling thread's previous setting put back after.
namespace stride::onednn {

class ScopedThreads {
 public:
  explicit ScopedThreads(int threads);
  ~ScopedThreads();
  ScopedThreads(const ScopedThreads&) = delete;
  ScopedThreads& operator=(const ScopedThreads&) = delete;

 private:
  int previous_;
};

// `threads`, or every core for 0.
int resolve_threads(int threads);

}  // namespace stride::onednn
