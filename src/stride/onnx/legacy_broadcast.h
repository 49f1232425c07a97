#pragma once
// Before opset 7, Add, Sub, Mul and Div broadcast only when broadcast=1, and then B's shape had to
// match a run of A's dims starting at `axis` (by default A's last dims, which is where opset 7's
// numpy rule aligns it too). The importer gives a B aligned elsewhere trailing 1-dims with an
// Unsqueeze, so that numpy broadcasting reads it the same way.
#include <cstdint>

#include "stride/ir/graph.h"

namespace stride::onnx_io {

inline constexpr int64_t kNumpyBroadcastSince = 7;

// Drops broadcast/axis from a node of opset < 7 where they change nothing; leaves them where B
// must be realigned, for align_legacy_broadcasts().
void drop_plain_legacy_broadcast(Node& node);

// Realigns every B that broadcasts from an explicit axis. Needs the ranks of A and B, so it runs on
// an otherwise converted graph of supported ops; refuses, naming the node, an axis B cannot start at.
void align_legacy_broadcasts(Graph& graph, int64_t opset);

}  // namespace stride::onnx_io
