#pragma once
// The gallery's secret: 32 random bytes in a key file kept apart from the database. Three sub-keys
// are derived from it (crypto_kdf_derive_from_key), one per use, so that no value made with one
// use can stand in for another:
//   - sealing: XChaCha20-Poly1305-IETF of templates and names, a random nonce per value and the
//     row's identity as associated data, so a value copied to another row, or altered, fails to open;
//   - pseudonyms: a keyed BLAKE2b hash of a subject id, the only person id the database holds;
//   - the key check: a hash stored in the database, so that a wrong key is refused before use.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace stride::gallery {

class GalleryKey {
 public:
  static constexpr size_t kBytes = 32;

  // Writes a new random key to `path`, readable by its owner only; throws stride::Error when
  // `path` exists already (a key is never overwritten: the galleries it opens would be lost).
  static GalleryKey create(const std::filesystem::path& path);
  // Reads the key at `path`; throws stride::Error naming it when it is missing or not kBytes long.
  static GalleryKey load(const std::filesystem::path& path);
  // The key at `path` when it exists, else a new one written there.
  static GalleryKey load_or_create(const std::filesystem::path& path);

  GalleryKey(const GalleryKey&) = delete;
  GalleryKey& operator=(const GalleryKey&) = delete;
  GalleryKey(GalleryKey&& other) noexcept;
  GalleryKey& operator=(GalleryKey&&) = delete;
  ~GalleryKey();  // the key bytes are wiped

  const std::filesystem::path& path() const { return path_; }

  // Nonce, then ciphertext and tag, bound to `associated`.
  std::string seal(std::string_view plaintext, std::string_view associated) const;
  // The plaintext, or nullopt when the value was not sealed with this key for `associated`.
  std::optional<std::string> open(std::string_view sealed, std::string_view associated) const;
  // 32 lowercase hex digits; the same subject id gives the same pseudonym under the same key only.
  std::string pseudonym(std::string_view subject_id) const;
  // What the database stores to recognise its key (hex); says nothing about the key itself.
  std::string check_value() const;

 private:
  using Bytes = std::array<unsigned char, kBytes>;
  GalleryKey(const Bytes& master, std::filesystem::path path);

  std::filesystem::path path_;
  Bytes sealing_{};
  Bytes pseudonyms_{};
  Bytes check_{};
};

}  // namespace stride::gallery
