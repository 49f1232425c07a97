#pragma once
// The protocols' results as the literature prints them (text with aligned columns) and as JSON.
#include <nlohmann/json.hpp>
#include <string>

#include "stride/eval/casia_b_evaluation.h"
#include "stride/eval/tum_gaid_evaluation.h"

namespace stride::eval {

// Rows NM#5-6, BG#1-2, CL#1-2; columns the probe views and the mean (GaitSet's table), then the
// condition's probes and the 95 % Wilson interval of its mean.
std::string to_text(const CasiaBResult& result);
// Rows N5-N6, B1-B2, S1-S2 and the mean; columns probes, correct, rank-1 and its 95 % Wilson interval.
std::string to_text(const TumGaidResult& result);

// The probe recordings behind the overall mean: every probe condition's.
int64_t probe_count(const CasiaBResult& result);
int64_t probe_count(const TumGaidResult& result);

// Accuracies in percent. CASIA-B also carries the [probe view][gallery view] matrices.
nlohmann::json to_json(const CasiaBResult& result);
nlohmann::json to_json(const TumGaidResult& result);

}  // namespace stride::eval
