#pragma once
// One rule for a command that did less than it was asked (a pruning ratio, calibration samples, an
// energy meter): it fails before writing anything, naming what was asked and what it reached, unless
// the user accepted the shortfall (`--allow-short`), or the option is documented as best effort;
// both then go on with a warning line on stderr, so that no shortfall is ever silent.
#include <string>

namespace stride {

enum class ShortfallRule {
  refuse,       // fails: the options promise the result
  allowed,      // --allow-short: a warning line
  best_effort,  // documented best effort: a warning line
};

// Nothing when `met`; otherwise throws stride::Error (refuse) or prints "stride: warning: ..." with
// `message`, which names what was asked and what was reached.
void check_met(bool met, ShortfallRule rule, const std::string& message);

// The warning line every shortfall and best-effort note shares.
void warn(const std::string& message);

}  // namespace stride
