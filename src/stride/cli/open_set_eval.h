#pragma once
// `stride eval --open-set`: open-set identification of a gait model on its dataset's test subjects
// (gallery/open_set_evaluation.h): DIR at FPIR 0.1, 1 and 10 % and closed-set rank-1.
#include <cstdint>
#include <string>

#include "stride/pipeline/gait_evaluation.h"

namespace stride::cli {

struct OpenSetEvalArgs {
  std::string model;
  std::string data;
  std::string backend;
  std::string json;
  pipeline::Split split = pipeline::Split::test;
  int64_t batch = 8;
  int threads = 0;
};

void evaluate_open_set(const OpenSetEvalArgs& args);

}  // namespace stride::cli
