#pragma once
// The backend test cases, among those using only ops Stride claims, that `stride run --backend ref`
// does not pass, each with the reason. The conformance test fails when a case outside this list
// fails and when a listed case starts to pass, so the list always says exactly where Stride stands.
#include <map>
#include <string>

namespace stride::conformance {

// Case id ("<suite>/<case>") -> why it does not pass.
const std::map<std::string, std::string>& known_failures();

}  // namespace stride::conformance
