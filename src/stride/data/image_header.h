#pragma once
// The format and size of a dataset frame, read from its first bytes before anything is decoded, so
// that a damaged or hostile file can be refused before OpenCV allocates for it or hands it to one of
// its many other decoders (Sun raster, PXM, TIFF, JPEG 2000, ...), which the datasets never use.
#include <cstdint>
#include <string>
#include <string_view>

namespace stride::data {

enum class ImageFormat { png, jpeg };

struct ImageHeader {
  ImageFormat format;
  int64_t width = 0, height = 0;
};

// Frames larger than this (8192 x 8192) are refused: the datasets' frames are a few hundred pixels
// on a side, and a larger header is a damaged file that would make the decoder allocate gigabytes.
inline constexpr int64_t kMaxImagePixels = int64_t{1} << 26;

// Throws stride::Error naming `source` when `bytes` are neither a PNG nor a JPEG file, when the
// header is cut short, or when the size is zero or above kMaxImagePixels.
ImageHeader read_image_header(std::string_view bytes, const std::string& source);

}  // namespace stride::data
