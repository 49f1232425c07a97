#include "stride/cli/engine_speedup.h"

#include <fmt/format.h>

#include <memory>

#include "stride/cli/progress_bar.h"
#include "stride/engine/select/make_backend.h"
#include "stride/measure/model_race.h"
#include "stride/report/text_table.h"

namespace stride::cli {

std::vector<double> median_ms_on_engine(const std::vector<const Graph*>& models, int64_t batch, int threads) {
  const std::unique_ptr<Backend> engine = make_backend("onednn");
  ProgressBar bar(fmt::format("timing {} models at batch {}", models.size(), batch));
  bar.update(0, 1);
  const std::vector<LatencyStats> stats =
      race_models(models, *engine, {.batch = batch, .warmup = 3, .runs = 10, .threads = threads, .seed = 0});
  bar.update(1, 1);
  std::vector<double> ms;
  for (const LatencyStats& s : stats) ms.push_back(s.median_ms);
  return ms;
}

nlohmann::json print_engine_speedups(const Graph& original, const Graph& changed, const std::string& label,
                                     const std::vector<int64_t>& batches, int threads,
                                     std::optional<double> theoretical) {
  std::vector<TextTable::Column> columns{{"batch"}, {"original ms"}, {label + " ms"}, {"speed-up"}};
  if (theoretical) columns.push_back({"theoretical"});
  TextTable table(columns);
  nlohmann::json rows = nlohmann::json::array();
  for (int64_t batch : batches) {
    const std::vector<double> ms = median_ms_on_engine({&original, &changed}, batch, threads);
    std::vector<std::string> row{std::to_string(batch), fmt::format("{:.3f}", ms[0]), fmt::format("{:.3f}", ms[1]),
                                 fmt::format("{:.2f}x", ms[0] / ms[1])};
    if (theoretical) row.push_back(fmt::format("{:.2f}x", *theoretical));
    table.add_row(row);
    rows.push_back({{"batch", batch}, {"original_ms", ms[0]}, {"ms", ms[1]}, {"speedup", ms[0] / ms[1]}});
  }
  fmt::print("measured on onednn (medians of 10 runs each, the two models in turn):\n{}", table.render());
  return rows;
}

}  // namespace stride::cli
