#pragma once
// The header every JSON result of Stride starts with (docs/results.md, docs/result-schema.json):
// what produced it (Stride's version and commit, the command line), when, on which machine (CPU
// identity, clock, cores, SIMD flags, kernel, load before and after the work), with which
// libraries and how many threads. Any two results can then be compared, or told apart, from
// their files alone.
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace stride {

// When the work a document describes began, and how busy the machine was then.
struct WorkStart {
  std::string date;                                   // UTC, ISO 8601
  std::optional<std::array<double, 3>> load_average;  // 1, 5, 15 minutes
};
WorkStart work_start_now();

// Called by the program before any work: the command line the header repeats, and the start (date
// and load average) of the command. Until it is called the command line is empty and the start is
// the moment the header is made.
void record_invocation(int argc, const char* const* argv);

// kind: what follows the header ("bench", "eval", "study-cell", ...; the schema's discriminator).
// threads: those the command computed with; 0 means all the cores this process may use.
// The header's date and load_before are those of `start` (by default the command's); load_after is
// read as the header is made.
nlohmann::ordered_json result_header(const std::string& kind, int threads);
nlohmann::ordered_json result_header(const std::string& kind, int threads, const WorkStart& start);

// The header, then the fields of `body` (a command's own figures): the document `--json` writes.
// Throws stride::Error when the body repeats a header field.
nlohmann::ordered_json result_document(const std::string& kind, int threads, const nlohmann::json& body);

}  // namespace stride
