#pragma once
// Text placed in HTML or SVG: the characters markup gives a meaning to, written as entities.
#include <string>
#include <string_view>

namespace stride {

std::string escape_markup(std::string_view text);

}  // namespace stride
