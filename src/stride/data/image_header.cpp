#include "stride/data/image_header.h"

#include "stride/core/error.h"

namespace stride::data {
namespace {

constexpr std::string_view kPngSignature = "\x89PNG\r\n\x1a\n";

int64_t big_endian(std::string_view bytes, size_t at, size_t count) {
  int64_t value = 0;
  for (size_t i = 0; i < count; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

// PNG: the signature, then the IHDR chunk (length, "IHDR", width and height as 4-byte big-endian).
ImageHeader png_header(std::string_view bytes, const std::string& source) {
  if (bytes.size() < 24 || bytes.substr(12, 4) != "IHDR")
    fail("image {} is a PNG file without its IHDR header (truncated or corrupt)", source);
  return {ImageFormat::png, big_endian(bytes, 16, 4), big_endian(bytes, 20, 4)};
}

// JPEG: markers (0xFF, code, 2-byte big-endian length including itself) up to the first
// start-of-frame SOF0..SOF15, whose payload holds the precision, then height and width. C4 (DHT),
// C8 (JPG) and CC (DAC) share the range but are not frames.
ImageHeader jpeg_header(std::string_view bytes, const std::string& source) {
  size_t at = 2;  // after SOI (FF D8)
  while (at + 4 <= bytes.size()) {
    if (static_cast<unsigned char>(bytes[at]) != 0xFF) break;
    const auto code = static_cast<unsigned char>(bytes[at + 1]);
    if (code == 0xFF) {  // fill byte before a marker
      ++at;
      continue;
    }
    const auto length = static_cast<size_t>(big_endian(bytes, at + 2, 2));
    if (code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC) {
      if (length < 7 || at + 2 + length > bytes.size()) break;
      return {ImageFormat::jpeg, big_endian(bytes, at + 7, 2), big_endian(bytes, at + 5, 2)};
    }
    if (length < 2) break;
    at += 2 + length;
  }
  fail("image {} is a JPEG file without a readable frame header (truncated or corrupt)", source);
}

}  // namespace

ImageHeader read_image_header(std::string_view bytes, const std::string& source) {
  ImageHeader header;
  if (bytes.substr(0, kPngSignature.size()) == kPngSignature)
    header = png_header(bytes, source);
  else if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xFF\xD8\xFF")
    header = jpeg_header(bytes, source);
  else
    fail("image {} is not a PNG or JPEG file", source);
  if (header.width <= 0 || header.height <= 0 || header.width > kMaxImagePixels / header.height)
    fail("image {} says it is {}x{} pixels; frames must be non-empty and at most {} pixels", source, header.width,
         header.height, kMaxImagePixels);
  return header;
}

}  // namespace stride::data
