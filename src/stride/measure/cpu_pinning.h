#pragma once
// `stride bench --pin`: the process and every thread it has or will start kept on a fixed set of
// cores, so that the scheduler does not move the timed work onto cores other programs are using
// and back between runs. Threads may still move among the pinned cores: OpenMP (oneDNN) and
// pthreadpool (XNNPACK) threads start from the process and inherit its set, but which thread takes
// which core of it stays the scheduler's choice.
#include <vector>

namespace stride {

// Pins every thread of this process (and so every thread it starts later) to the first `cores`
// cores it may run on now. Returns those cores' numbers. Throws stride::Error when `cores` is
// below 1 or more than the cores the process may use, or when the kernel refuses.
std::vector<int> pin_to_first_cores(int cores);

}  // namespace stride
