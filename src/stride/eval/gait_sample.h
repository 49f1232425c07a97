#pragma once
// What the gait protocols need to know about one recording (one row of a feature matrix).
#include <string>

namespace stride::eval {

struct GaitSample {
  int subject = 0;
  std::string condition;  // the dataset's code: CASIA-B nm, bg, cl; TUM-GAID n, b, s
  int sequence = 0;       // numbered from 1 within the condition, as in nm-05 or b-02
  int view = 0;           // degrees (CASIA-B); 0 for single-view datasets
};

}  // namespace stride::eval
