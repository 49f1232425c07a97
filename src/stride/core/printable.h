#pragma once
// Text from files (model, node and value names, metadata) shown on a terminal: control characters
// (escape sequences that could move the cursor, recolour or retitle the terminal, newlines that
// would break a one-line message) are written as \xNN instead.
#include <string>
#include <string_view>

namespace stride {

std::string printable(std::string_view text);

}  // namespace stride
