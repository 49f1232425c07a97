#pragma once
// Fresh value names for the nodes and initializers the importer adds while converting a model.
#include <set>
#include <string>

#include "stride/ir/graph.h"

namespace stride::onnx_io {

class ValueNames {
 public:
  // Every name `graph` uses now is taken.
  explicit ValueNames(const Graph& graph);
  // `base`, or `base_<k>` for the first k that is free; the returned name is taken from then on.
  std::string fresh(const std::string& base);

 private:
  std::set<std::string> taken_;
};

}  // namespace stride::onnx_io
