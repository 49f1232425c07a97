#pragma once
// What a stride_session is (include/stride/stride.h): a model's graph, the backend chosen for it,
// and one compiled plan per set of input shapes seen (the batch may change between runs), with the
// outputs of the last run kept in f32 for the caller to read.
#include <deque>
#include <string>
#include <vector>

#include "stride/engine/backend.h"

namespace stride::runtime {

// A mistake of the caller (a count, rank, shape, name or pointer), told apart from a failure
// while working so that the C API can return STRIDE_INVALID_ARGUMENT.
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

// One input as the C API hands it over: borrowed f32 values and their shape.
struct InputView {
  const float* data = nullptr;
  Shape shape;
};

class Session {
 public:
  // A full-integer model is seen through its float interface (ir/float_interface.h). Throws
  // InvalidArgument for an unknown backend or a thread count outside 0..1024, stride::Error when
  // the backend lacks ops of the model.
  Session(const Graph& model, const std::string& backend, int threads);

  const std::string& backend() const { return backend_; }
  const std::vector<ValueInfo>& inputs() const { return graph_.inputs; }
  const std::vector<ValueInfo>& outputs() const { return graph_.outputs; }

  // Runs on one view per model input, in the model's order. Throws InvalidArgument naming the
  // input for a wrong count, rank or dimension. The previous outputs are dropped first.
  void run(const std::vector<InputView>& inputs);
  // The outputs of the last successful run, in the model's order (empty before one).
  const std::vector<Tensor>& results() const { return results_; }

 private:
  struct CompiledPlan {
    std::vector<Shape> shapes;
    std::unique_ptr<Plan> plan;
  };
  Plan& plan_for(const std::vector<Shape>& shapes);

  Graph graph_;
  std::string backend_;
  int threads_;
  std::deque<CompiledPlan> plans_;  // the most recently compiled first
  std::vector<Tensor> results_;
};

}  // namespace stride::runtime
