#pragma once
// Plain-text tables for the terminal: columns sized to their content, numbers right-aligned.
#include <cstdint>
#include <string>
#include <vector>

namespace stride {

class TextTable {
 public:
  enum class Align { left, right };
  struct Column {
    std::string title;
    Align align = Align::right;
  };

  explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}
  void add_row(std::vector<std::string> cells);  // throws if the cell count differs from the columns
  void add_separator();
  std::string render() const;
  // The same table as GitHub Markdown (separators are dropped).
  std::string render_markdown() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;  // an empty row is a separator
};

// 2594592 -> "2,594,592"
std::string with_thousands(int64_t value);
// 2.03e9 -> "2.03 G", 680000 -> "680.00 k"
std::string with_si_prefix(double value);

}  // namespace stride
