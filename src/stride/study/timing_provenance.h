#pragma once
// Where a study's times were measured. On one machine every timing cell ran alone; on a cluster
// each ran on some node, with the node to itself (--exclusive) or not. The cells' records say which
// (cell_compute.h); the tables that show times carry these notes, so that a ratio of two times is
// never read as one machine's when it compares two, nor a time from a shared node as a clean one.
#include <string>
#include <vector>

#include "stride/study/cell_results.h"

namespace stride::study {

// The notes for a table of times, from the records of the cells that measured time.
std::vector<std::string> timing_notes(const Outcomes& outcomes);

}  // namespace stride::study
