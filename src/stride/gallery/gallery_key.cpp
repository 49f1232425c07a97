#include "stride/gallery/gallery_key.h"

#include <sodium.h>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"

namespace stride::gallery {
namespace {

// crypto_kdf's context: 8 bytes naming the application; the sub-key ids below name the uses.
constexpr char kContext[crypto_kdf_CONTEXTBYTES + 1] = "strideG1";
enum SubKey : uint64_t { sealing = 1, pseudonyms = 2, check = 3 };

void init_sodium() {
  if (sodium_init() < 0) fail("libsodium could not be initialised");
}

std::string hex(const unsigned char* bytes, size_t size) {
  std::string out(2 * size + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.pop_back();
  return out;
}

}  // namespace

GalleryKey::GalleryKey(const Bytes& master, std::filesystem::path path) : path_(std::move(path)) {
  static_assert(crypto_kdf_KEYBYTES == kBytes && crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kBytes);
  crypto_kdf_derive_from_key(sealing_.data(), sealing_.size(), SubKey::sealing, kContext, master.data());
  crypto_kdf_derive_from_key(pseudonyms_.data(), pseudonyms_.size(), SubKey::pseudonyms, kContext, master.data());
  crypto_kdf_derive_from_key(check_.data(), check_.size(), SubKey::check, kContext, master.data());
}

GalleryKey::GalleryKey(GalleryKey&& other) noexcept
    : path_(std::move(other.path_)), sealing_(other.sealing_), pseudonyms_(other.pseudonyms_), check_(other.check_) {}

GalleryKey::~GalleryKey() {
  sodium_memzero(sealing_.data(), sealing_.size());
  sodium_memzero(pseudonyms_.data(), pseudonyms_.size());
  sodium_memzero(check_.data(), check_.size());
}

GalleryKey GalleryKey::create(const std::filesystem::path& path) {
  init_sodium();
  if (std::filesystem::exists(path)) fail("key file {} exists already; a key is never overwritten", path.string());
  Bytes master;
  randombytes_buf(master.data(), master.size());
  write_private_file_atomically(path, std::string_view(reinterpret_cast<const char*>(master.data()), master.size()));
  GalleryKey key(master, path);
  sodium_memzero(master.data(), master.size());
  return key;
}

GalleryKey GalleryKey::load(const std::filesystem::path& path) {
  init_sodium();
  if (!std::filesystem::exists(path)) fail("key file {}: no such file", path.string());
  std::string bytes = read_file(path);
  if (bytes.size() != kBytes)
    fail("key file {}: {} bytes, a gallery key is {} (the file 'stride gallery init' writes)", path.string(),
         bytes.size(), kBytes);
  Bytes master;
  std::copy(bytes.begin(), bytes.end(), master.begin());
  sodium_memzero(bytes.data(), bytes.size());
  GalleryKey key(master, path);
  sodium_memzero(master.data(), master.size());
  return key;
}

GalleryKey GalleryKey::load_or_create(const std::filesystem::path& path) {
  return std::filesystem::exists(path) ? load(path) : create(path);
}

std::string GalleryKey::seal(std::string_view plaintext, std::string_view associated) const {
  std::string out(
      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES,
      '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, nullptr,
                                             reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                                             reinterpret_cast<const unsigned char*>(associated.data()),
                                             associated.size(), nullptr, nonce, sealing_.data());
  return out;
}

std::optional<std::string> GalleryKey::open(std::string_view sealed, std::string_view associated) const {
  constexpr size_t overhead = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < overhead) return std::nullopt;
  std::string plain(sealed.size() - overhead, '\0');
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  const size_t body = sealed.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()), nullptr, nullptr,
                                                 nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, body,
                                                 reinterpret_cast<const unsigned char*>(associated.data()),
                                                 associated.size(), nonce, sealing_.data()) != 0)
    return std::nullopt;
  return plain;
}

std::string GalleryKey::pseudonym(std::string_view subject_id) const {
  std::array<unsigned char, 16> hash;
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(subject_id.data()),
                     subject_id.size(), pseudonyms_.data(), pseudonyms_.size());
  return hex(hash.data(), hash.size());
}

std::string GalleryKey::check_value() const {
  constexpr std::string_view kLabel = "stride gallery key check";
  std::array<unsigned char, 32> hash;
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(),
                     check_.data(), check_.size());
  return hex(hash.data(), hash.size());
}

}  // namespace stride::gallery
