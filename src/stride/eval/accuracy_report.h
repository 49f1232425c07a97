#pragma once
// The protocols' results as the literature prints them (text with aligned columns) and as JSON.
#include <nlohmann/json.hpp>
#include <string>

#include "stride/eval/casia_b_evaluation.h"
#include "stride/eval/tum_gaid_evaluation.h"

namespace stride::eval {

// Rows NM#5-6, BG#1-2, CL#1-2; columns the probe views and the mean (GaitSet's table).
std::string to_text(const CasiaBResult& result);
// Rows N5-N6, B1-B2, S1-S2 and the mean; columns probes, correct, rank-1.
std::string to_text(const TumGaidResult& result);

// Accuracies in percent. CASIA-B also carries the [probe view][gallery view] matrices.
nlohmann::json to_json(const CasiaBResult& result);
nlohmann::json to_json(const TumGaidResult& result);

}  // namespace stride::eval
