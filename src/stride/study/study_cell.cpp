#include "stride/study/study_cell.h"

#include <algorithm>
#include <set>

#include "stride/core/error.h"

namespace stride::study {
namespace {

// Calls `token(name)` for each "{name}" of `text` and `literal(piece)` for the text between them.
template <typename Literal, typename Token>
void scan_tokens(const std::string& text, const Literal& literal, const Token& token) {
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find('{', at);
    if (open == std::string::npos) {
      literal(text.substr(at));
      return;
    }
    const size_t close = text.find('}', open);
    if (close == std::string::npos) fail("study argument '{}': '{{' without '}}'", text);
    if (close == open + 1) fail("study argument '{}': empty '{{}}'", text);
    literal(text.substr(at, open - at));
    token(text.substr(open + 1, close - open - 1));
    at = close + 1;
  }
}

}  // namespace

std::vector<std::string> dependencies(const CellSpec& cell) {
  std::vector<std::string> ids;
  for (const std::string& arg : cell.args)
    scan_tokens(
        arg, [](const std::string&) {},
        [&](const std::string& name) {
          if (name != "out" && std::find(ids.begin(), ids.end(), name) == ids.end()) ids.push_back(name);
        });
  return ids;
}

std::string resolve_tokens(const std::string& text, const std::string& out,
                           const std::function<std::string(const std::string&)>& folder_of) {
  std::string resolved;
  scan_tokens(
      text, [&](const std::string& piece) { resolved += piece; },
      [&](const std::string& name) { resolved += name == "out" ? out : folder_of(name); });
  return resolved;
}

void check_cells(const std::vector<CellSpec>& cells) {
  std::set<std::string> seen;
  for (const CellSpec& cell : cells) {
    if (cell.id.empty() || cell.id == "out") fail("study cell with an invalid id '{}'", cell.id);
    if (cell.args.empty()) fail("study cell {} has no command", cell.id);
    for (const std::string& dep : dependencies(cell))
      if (!seen.count(dep)) fail("study cell {} reads {{{}}}, which is not a cell listed before it", cell.id, dep);
    if (!seen.insert(cell.id).second) fail("study cell {} is listed twice", cell.id);
  }
}

}  // namespace stride::study
