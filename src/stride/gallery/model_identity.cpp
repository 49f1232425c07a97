#include "stride/gallery/model_identity.h"

#include <sodium.h>

#include <array>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"

namespace stride::gallery {

std::string ModelIdentity::text() const { return fmt::format("{} ({})", name, hash.substr(0, 12)); }

ModelIdentity model_identity(const std::filesystem::path& onnx_file, std::string name) {
  if (sodium_init() < 0) fail("libsodium could not be initialised");
  const std::string bytes = read_file(onnx_file);
  std::array<unsigned char, 32> hash;
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                     nullptr, 0);
  std::string hex(2 * hash.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  hex.pop_back();
  return {hex, std::move(name)};
}

}  // namespace stride::gallery
