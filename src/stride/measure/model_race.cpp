#include "stride/measure/model_race.h"

#include <chrono>
#include <memory>

#include "stride/core/error.h"
#include "stride/engine/inputs.h"
#include "stride/ir/float_interface.h"

namespace stride {

std::vector<LatencyStats> race_models(const std::vector<const Graph*>& models, const Backend& backend,
                                      const RaceConfig& config) {
  if (models.empty()) return {};
  if (config.batch < 1) fail("batch must be at least 1, got {}", config.batch);
  if (config.runs < 1 || config.warmup < 0) fail("a race needs at least one timed run, got {}", config.runs);
  const auto shapes = input_shapes_at_batch(*models.front(), config.batch);
  for (const Graph* m : models)
    if (input_shapes_at_batch(*m, config.batch) != shapes)
      fail("model '{}' has other inputs than '{}': only versions of one model can be compared", m->name,
           models.front()->name);
  const TensorMap inputs = random_inputs(*models.front(), shapes, config.seed);

  CompileOptions options;
  options.threads = config.threads;
  options.input_shapes = shapes;
  std::vector<std::unique_ptr<Plan>> plans;
  // A full-int model is timed as it is used on real data: with its input quantization and output
  // dequantization, on the same inputs as the others.
  for (const Graph* m : models) plans.push_back(backend.compile(with_float_interface(*m), options));

  std::vector<std::vector<double>> samples(models.size());
  for (int r = 0; r < config.warmup + config.runs; ++r)
    for (size_t m = 0; m < plans.size(); ++m) {
      const auto start = std::chrono::steady_clock::now();
      plans[m]->run(inputs);
      const auto stop = std::chrono::steady_clock::now();
      if (r >= config.warmup) samples[m].push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
  std::vector<LatencyStats> stats;
  for (auto& s : samples) stats.push_back(latency_stats(std::move(s)));
  return stats;
}

}  // namespace stride
