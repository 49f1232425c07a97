#include "stride/engine/select/make_backend.h"

#include "stride/engine/onednn/onednn_backend.h"
#include "stride/engine/ref/ref_backend.h"
#ifdef STRIDE_WITH_TORCH
#include "stride/engine/torch/torch_backend.h"
#endif

namespace stride {

std::vector<std::string> backend_names() {
  std::vector<std::string> names{"onednn", "ref"};
#ifdef STRIDE_WITH_TORCH
  names.push_back("torch");
#endif
  return names;
}

std::unique_ptr<Backend> make_backend(std::string_view name) {
  if (name == "onednn") return std::make_unique<OnednnBackend>();
  if (name == "ref") return std::make_unique<RefBackend>();
#ifdef STRIDE_WITH_TORCH
  if (name == "torch") return std::make_unique<TorchBackend>();
#endif
  std::string known;
  for (const auto& n : backend_names()) known += (known.empty() ? "" : ", ") + n;
  fail("unknown backend '{}' (this build has: {})", name, known);
}

}  // namespace stride
