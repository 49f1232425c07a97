#include "stride/compress/pruning_stages.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "stride/core/usage_error.h"

namespace stride::compress {
namespace {

[[noreturn]] void malformed(const std::string& spec, const std::string& why) {
  usage_fail(
      "--stage '{}': {}; expected PATTERN:STEPSxKEEP, e.g. 'backbone2d/*:4x0.9' (4 steps, each keeping 90 % of the "
      "remaining filters of the layers the pattern matches)",
      spec, why);
}

std::string trimmed(const std::string& text) {
  const size_t first = text.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

// The whole of `text` as a number, or nullopt.
template <typename T>
std::optional<T> number(const std::string& text) {
  try {
    size_t used = 0;
    const T value =
        std::is_integral_v<T> ? static_cast<T>(std::stoll(text, &used)) : static_cast<T>(std::stod(text, &used));
    if (used == text.size()) return value;
  } catch (const std::logic_error&) {
  }
  return std::nullopt;
}

// The request of a stage: its ratio on its pattern, 0 on every other layer.
SelectionRequest stage_selection(const SelectionRequest& base, const PruningStage& stage) {
  SelectionRequest request = base;
  request.ratio = 0;
  request.ratio_for = {{stage.pattern, stage.ratio()}};
  return request;
}

void check_patterns_match(const Graph& original, const StagedPruning& request) {
  const ChannelGroups groups = find_channel_groups(original);
  const bool dense = request.base.options.selection.dense;
  for (const PruningStage& stage : request.stages) {
    const bool matched = std::any_of(groups.groups.begin(), groups.groups.end(), [&](const ChannelGroup& group) {
      return group.prunable() && (!group.dense || dense) &&
             std::any_of(group.producers.begin(), group.producers.end(), [&](const std::string& producer) {
               return fnmatch(stage.pattern.c_str(), producer.c_str(), 0) == 0;
             });
    });
    if (!matched)
      usage_fail("--stage '{}': '{}' matches no prunable layer (stride prune MODEL --show-groups lists them)",
                 stage.spec, stage.pattern);
  }
}

}  // namespace

double PruningStage::ratio() const { return 1 - std::pow(keep, steps); }

PruningStage parse_stage(const std::string& spec) {
  const size_t colon = spec.rfind(':');
  if (colon == std::string::npos) malformed(spec, "no ':' between the pattern and the steps");
  PruningStage stage;
  stage.spec = spec;
  stage.pattern = trimmed(spec.substr(0, colon));
  if (stage.pattern.empty()) malformed(spec, "the pattern is empty");
  const std::string schedule = spec.substr(colon + 1);
  const size_t x = schedule.find('x');
  if (x == std::string::npos) malformed(spec, fmt::format("'{}' has no 'x' between the steps and KEEP", schedule));
  const std::optional<int> steps = number<int>(trimmed(schedule.substr(0, x)));
  const std::optional<double> keep = number<double>(trimmed(schedule.substr(x + 1)));
  if (!steps || *steps < 1) malformed(spec, "the steps must be a whole number of at least 1");
  if (!keep || !(*keep > 0 && *keep < 1)) malformed(spec, "KEEP, the share each step keeps, must be in (0, 1)");
  stage.steps = *steps;
  stage.keep = *keep;
  return stage;
}

IterativePruneResult prune_in_stages(const Graph& original, const StagedPruning& request) {
  if (request.stages.empty()) usage_fail("a staged prune needs at least one --stage");
  check_patterns_match(original, request);
  Graph model = original;
  for (size_t i = 0; i < request.stages.size(); ++i) {
    const PruningStage& stage = request.stages[i];
    IterativePruning step = request.base;
    step.options.selection = stage_selection(request.base.options.selection, stage);
    step.steps = stage.steps;
    step.rule = StepRule::geometric;
    if (request.base.report)
      step.report = [&, i](const std::string& line) {
        request.base.report(fmt::format("stage {}/{} '{}', {}", i + 1, request.stages.size(), stage.spec, line));
      };
    if (request.base.report)
      request.base.report(fmt::format("stage {}/{} '{}': {} step(s) keeping {:.1f} % of the remaining filters each",
                                      i + 1, request.stages.size(), stage.spec, stage.steps, 100 * stage.keep));
    model = prune_iteratively(model, step).model;
  }
  SelectionRequest whole = request.base.options.selection;
  whole.ratio = 0;
  whole.ratio_for.clear();
  for (const PruningStage& stage : request.stages) whole.ratio_for.emplace_back(stage.pattern, stage.ratio());
  return {model, compare_layers(original, model, whole)};
}

}  // namespace stride::compress
