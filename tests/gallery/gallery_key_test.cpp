#include "stride/gallery/gallery_key.h"

#include <sys/stat.h>

#include "gallery_test_support.h"

namespace stride::gallery {
namespace {

class GalleryKeyFile : public GalleryFolder {};

TEST_F(GalleryKeyFile, IsThirtyTwoRandomBytesReadableByItsOwnerOnly) {
  GalleryKey::create(path("a.key"));
  GalleryKey::create(path("b.key"));
  const std::string a = file_bytes(path("a.key")), b = file_bytes(path("b.key"));
  EXPECT_EQ(a.size(), GalleryKey::kBytes);
  EXPECT_NE(a, b);
  struct stat info {};
  ASSERT_EQ(::stat(path("a.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 2);
}

TEST_F(GalleryKeyFile, IsNeverOverwrittenAndAWrongSizeIsRefused) {
  GalleryKey::create(path("k"));
  const std::string before = file_bytes(path("k"));
  expect_one_line_error([&] { GalleryKey::create(path("k")); }, "exists already");
  EXPECT_EQ(file_bytes(path("k")), before);
  std::ofstream(path("short")) << "sixteen bytes...";
  expect_one_line_error([&] { GalleryKey::load(path("short")); }, "short: 16 bytes, a gallery key is 32");
  expect_one_line_error([&] { GalleryKey::load(path("missing")); }, "missing: no such file");
}

TEST_F(GalleryKeyFile, LoadedKeyOpensWhatTheCreatedOneSealed) {
  const GalleryKey created = GalleryKey::create(path("k"));
  const GalleryKey loaded = GalleryKey::load(path("k"));
  const std::string sealed = created.seal("Ada Lovelace", "person:p1");
  EXPECT_FALSE(holds(sealed, "Ada"));
  EXPECT_EQ(loaded.open(sealed, "person:p1"), "Ada Lovelace");
  EXPECT_EQ(loaded.pseudonym("17"), created.pseudonym("17"));
  EXPECT_EQ(loaded.check_value(), created.check_value());
}

TEST_F(GalleryKeyFile, ASealedValueOpensOnlyForItsRowUnalteredAndUnderItsKey) {
  const GalleryKey key = GalleryKey::create(path("k"));
  const GalleryKey other = GalleryKey::create(path("other"));
  const std::string sealed = key.seal("template bytes", "template:1:p:m");
  EXPECT_EQ(key.open(sealed, "template:1:p:m"), "template bytes");
  EXPECT_FALSE(key.open(sealed, "template:2:p:m"));  // moved to another row
  EXPECT_FALSE(other.open(sealed, "template:1:p:m"));
  for (size_t i = 0; i < sealed.size(); i += 7) {  // nonce, ciphertext and tag alike
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_FALSE(key.open(tampered, "template:1:p:m")) << "byte " << i;
  }
  EXPECT_FALSE(key.open(sealed.substr(0, 10), "template:1:p:m"));
  // A random nonce per value: sealing twice gives two different ciphertexts.
  EXPECT_NE(key.seal("x", "a"), key.seal("x", "a"));
}

TEST_F(GalleryKeyFile, PseudonymsAreKeyedHashesOfTheSubjectId) {
  const GalleryKey key = GalleryKey::create(path("k"));
  const GalleryKey other = GalleryKey::create(path("other"));
  const std::string p = key.pseudonym("17");
  EXPECT_EQ(p.size(), 32u);
  EXPECT_EQ(p.find_first_not_of("0123456789abcdef"), std::string::npos) << p;
  EXPECT_EQ(key.pseudonym("17"), p);
  EXPECT_NE(key.pseudonym("18"), p);
  EXPECT_NE(other.pseudonym("17"), p);
  EXPECT_NE(other.check_value(), key.check_value());
}

}  // namespace
}  // namespace stride::gallery
