#include "stride/engine/onednn/scoped_threads.h"

#include <omp.h>

namespace stride::onednn {

// OpenMP keeps the count per thread of the host (its nthreads-var), so restoring it on the same
// thread leaves every other thread's setting as it was too.
ScopedThreads::ScopedThreads(int threads) : previous_(omp_get_max_threads()) {
  if (threads != previous_) omp_set_num_threads(threads);
}

ScopedThreads::~ScopedThreads() {
  if (omp_get_max_threads() != previous_) omp_set_num_threads(previous_);
}

int resolve_threads(int threads) { return threads > 0 ? threads : omp_get_num_procs(); }

}  // namespace stride::onednn
