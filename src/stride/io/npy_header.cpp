#include "stride/io/npy_header.h"

#include <cctype>
#include <optional>
#include <utility>

#include "stride/core/error.h"

namespace stride {
namespace {

// The literal's grammar, with Python's spelling:
//   header := ws '{' ws [entry (ws ',' ws entry)* ws [',']] ws '}' ws
//   entry  := string ws ':' ws value
//   value  := string | 'True' | 'False' | tuple
//   tuple  := '(' ws ')' | '(' ws int ws ',' ws ')' | '(' ws int (ws ',' ws int)+ ws [','] ws ')'
//   string := '...' | "..." (backslash escapes the quote or a backslash)
//   int    := digits, optionally followed by Python 2's 'L'
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  NpyHeader parse() {
    std::optional<std::string> descr;
    std::optional<bool> fortran_order;
    std::optional<Shape> shape;
    skip_space();
    expect('{', "'{' opening the dict");
    skip_space();
    while (!at('}')) {
      const size_t key_at = pos_;
      const std::string key = string_literal("a key in quotes");
      skip_space();
      expect(':', "':' after the key");
      skip_space();
      if (key == "descr") {
        if (descr) fail_at(key_at, "duplicate key 'descr'");
        if (!at('\'') && !at('"'))
          fail_here("'descr' must be a string such as '<f4' (structured dtypes are not supported)");
        descr = string_literal("a string");
      } else if (key == "fortran_order") {
        if (fortran_order) fail_at(key_at, "duplicate key 'fortran_order'");
        fortran_order = boolean();
      } else if (key == "shape") {
        if (shape) fail_at(key_at, "duplicate key 'shape'");
        shape = tuple();
      } else {
        fail_at(key_at,
                fmt::format("unknown key '{}' (expected 'descr', 'fortran_order' and 'shape')", printable(key)));
      }
      skip_space();
      if (at(',')) {
        ++pos_;
        skip_space();
      } else if (!at('}')) {
        fail_here("expected ',' or '}' after a value");
      }
    }
    ++pos_;
    skip_space();
    if (pos_ != text_.size()) fail_here("unexpected text after the closing '}'");
    if (!descr) fail_header("no 'descr' key");
    if (!fortran_order) fail_header("no 'fortran_order' key");
    if (!shape) fail_header("no 'shape' key");
    return {*descr, *fortran_order, *shape};
  }

 private:
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  void expect(char c, std::string_view what) {
    if (!at(c)) fail_here(fmt::format("expected {}", what));
    ++pos_;
  }

  std::string string_literal(std::string_view what) {
    if (!at('\'') && !at('"')) fail_here(fmt::format("expected {}", what));
    const char quote = text_[pos_++];
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c == '\n') fail_here("a string runs past the end of its line");
      if (c == '\\') {
        if (pos_ >= text_.size() || (text_[pos_] != '\\' && text_[pos_] != '\'' && text_[pos_] != '"'))
          fail_here("unsupported escape in a string");
        c = text_[pos_++];
      }
      value += c;
    }
    if (pos_ >= text_.size()) fail_header("a string is not closed");
    ++pos_;
    return value;
  }

  bool boolean() {
    for (const auto& [word, value] : {std::pair<std::string_view, bool>{"True", true}, {"False", false}})
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        if (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) break;
        return value;
      }
    fail_here("'fortran_order' must be True or False");
  }

  int64_t integer() {
    const size_t start = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (value > (int64_t{1} << 53)) fail_at(start, "a dimension of 'shape' is absurdly large");
      value = value * 10 + (text_[pos_++] - '0');
    }
    if (pos_ == start) fail_here("'shape' must be a tuple of non-negative integers, such as (2, 3) or (5,)");
    if (at('L')) ++pos_;
    return value;
  }

  Shape tuple() {
    if (!at('(')) fail_here("'shape' must be a tuple, such as (2, 3), (5,) or ()");
    ++pos_;
    skip_space();
    Shape shape;
    bool comma = false;  // a single element is a tuple only with its comma: (5,) — (5) is an int
    while (!at(')')) {
      shape.push_back(integer());
      skip_space();
      comma = at(',');
      if (comma) {
        ++pos_;
        skip_space();
      } else if (!at(')')) {
        fail_here("'shape' must be a tuple of non-negative integers, such as (2, 3) or (5,)");
      }
    }
    if (shape.size() == 1 && !comma) fail_here("'shape' (n) is an integer, not a tuple: write (n,)");
    ++pos_;
    return shape;
  }

  [[noreturn]] void fail_header(std::string_view why) const { fail("'{}': .npy header: {}", source_, why); }
  [[noreturn]] void fail_at(size_t at, std::string_view why) const {
    fail("'{}': .npy header, at byte {}: {}", source_, at, why);
  }
  [[noreturn]] void fail_here(std::string_view why) const {
    if (pos_ >= text_.size()) fail_header(fmt::format("{}, found the end of the header", why));
    fail_at(pos_, why);
  }

  // Text from the file, shown with anything but printable ASCII escaped.
  static std::string printable(std::string_view text) {
    std::string out;
    for (unsigned char c : text.substr(0, 40))
      out += (c >= 0x20 && c < 0x7f) ? std::string(1, static_cast<char>(c)) : fmt::format("\\x{:02x}", c);
    if (text.size() > 40) out += "...";
    return out;
  }

  std::string_view text_;
  const std::string& source_;
  size_t pos_ = 0;
};

}  // namespace

NpyHeader parse_npy_header(std::string_view text, const std::string& source) {
  return HeaderParser(text, source).parse();
}

}  // namespace stride
