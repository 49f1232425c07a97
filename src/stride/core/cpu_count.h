#pragma once
// How many cores "all cores" means: those this process may run on (its CPU affinity), not every
// core of the machine. A study running cells side by side pins each to its share of the cores, and
// a cluster's scheduler (Slurm's task/affinity, taskset, a cgroup cpuset) does the same; a command
// that counted the whole machine would start more threads than it has cores and slow every cell.
namespace stride {

// At least 1.
int usable_cores();

}  // namespace stride
