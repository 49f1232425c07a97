#pragma once
// Names for nodes, values and initializers that a pass adds to a graph: none may collide with a
// name the graph already has, or with one handed out before.
#include <set>
#include <string>

#include "stride/ir/graph.h"

namespace stride {

class FreshNames {
 public:
  explicit FreshNames(const Graph& graph);
  // `base`, or `base_2`, `base_3`... whichever is still free; taken from then on.
  std::string fresh(const std::string& base);

 private:
  std::set<std::string> taken_;
};

}  // namespace stride
