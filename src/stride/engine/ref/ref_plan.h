#pragma once
// The ref backend's plan: the graph's nodes in order, each a step run by its ref kernel on tensors
// made for the actual inputs' shapes.
#include "stride/engine/backend.h"
#include "stride/engine/step_timeline.h"

namespace stride {

class RefPlan final : public Plan {
 public:
  explicit RefPlan(Graph graph);

  TensorMap run(const TensorMap& inputs) override;
  std::vector<std::string> reference_nodes() const override;
  // One step per node, in the order they run.
  const std::vector<Node>& steps() const { return graph_.nodes; }
  // Each node's span over `runs` runs on `inputs` (`stride bench --explain` and `--profile`).
  StepTimeline profile_steps(const TensorMap& inputs, int runs);

 private:
  // Runs every node i as around(i, kernel): run() just calls it, profile_steps() times it.
  template <typename AroundStep>
  TensorMap execute(const TensorMap& inputs, AroundStep&& around) const;

  Graph graph_;
};

}  // namespace stride
