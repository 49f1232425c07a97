#include "stride/engine/select/make_backend.h"

#include "stride/engine/ref/ref_backend.h"

namespace stride {

std::vector<std::string> backend_names() {
  std::vector<std::string> names{"ref"};
  return names;
}

std::unique_ptr<Backend> make_backend(std::string_view name) {
  if (name == "ref") return std::make_unique<RefBackend>();
  std::string known;
  for (const auto& n : backend_names()) known += (known.empty() ? "" : ", ") + n;
  fail("unknown backend '{}' (this build has: {})", name, known);
}

}  // namespace stride
