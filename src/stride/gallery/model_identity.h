#pragma once
// Which model made a template: templates are comparable only with templates of the same model
// (a retrained, pruned or quantized model maps people elsewhere), so the gallery records the
// model's name and a hash of its file, and refuses templates of any other.
#include <filesystem>
#include <string>

namespace stride::gallery {

struct ModelIdentity {
  std::string hash;  // BLAKE2b-256 of the ONNX file, hex
  std::string name;  // the graph's name, for messages
  bool operator==(const ModelIdentity& other) const { return hash == other.hash; }
  std::string text() const;  // "gaitset (1a2b3c4d5e6f)"
};

// Throws stride::Error naming the file when it cannot be read.
ModelIdentity model_identity(const std::filesystem::path& onnx_file, std::string name);

}  // namespace stride::gallery
