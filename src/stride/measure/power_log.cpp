#include "stride/measure/power_log.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "stride/core/error.h"

namespace stride {
namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, ',');) {
    const auto first = f.find_first_not_of(" \t\r\"");
    const auto last = f.find_last_not_of(" \t\r\"");
    fields.push_back(first == std::string::npos ? "" : f.substr(first, last - first + 1));
  }
  return fields;
}

bool parse_number(const std::string& s, double& v) {
  if (s.empty()) return false;
  try {
    size_t used = 0;
    v = std::stod(s, &used);
    return used == s.size();
  } catch (const std::exception&) {
    return false;
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

PowerTrace read_power_log(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) fail("cannot read the power log {}", file.string());
  PowerTrace trace;
  size_t time_column = 0, power_column = 1;
  bool first_row = true;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
    const std::vector<std::string> fields = split_fields(line);
    double t = 0, w = 0;
    const bool numeric = fields.size() > std::max(time_column, power_column) && parse_number(fields[time_column], t) &&
                         parse_number(fields[power_column], w);
    if (first_row && !numeric) {  // a header: find the columns by name
      first_row = false;
      time_column = power_column = fields.size();
      for (size_t i = fields.size(); i-- > 0;) {
        const std::string name = lower(fields[i]);
        if (name.find("time") != std::string::npos) time_column = i;
        if (name.find("power") != std::string::npos || name.find("watt") != std::string::npos) power_column = i;
      }
      if (time_column == fields.size() || power_column == fields.size())
        fail("{} line {}: expected a header naming a time column and a power (watts) column, found '{}'", file.string(),
             number, line);
      continue;
    }
    first_row = false;
    if (!numeric)
      fail("{} line {}: expected a timestamp in seconds and watts, found '{}'", file.string(), number, line);
    if (!possible_watts(w))
      fail("{} line {}: {} W is not a power (expected a finite value of 0 or more)", file.string(), number,
           fields[power_column]);
    if (!trace.empty() && t < trace.samples().back().t)
      fail("{} line {}: timestamp {} comes before the previous one", file.string(), number, fields[time_column]);
    trace.add(t, w);
  }
  if (trace.samples().size() < 2)
    fail("{}: a power log needs at least two rows, found {}", file.string(), trace.samples().size());
  return trace;
}

}  // namespace stride
