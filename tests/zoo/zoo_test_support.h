#pragma once
// What the zoo tests share: the message of the error a call throws, and a graph's node by name.
#include <functional>
#include <stdexcept>
#include <string>

#include "stride/core/error.h"
#include "stride/ir/graph.h"

namespace stride {

inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

inline const Node& node_named(const Graph& g, const std::string& name) {
  for (const Node& n : g.nodes)
    if (n.name == name) return n;
  throw std::runtime_error("no node " + name);
}

}  // namespace stride
