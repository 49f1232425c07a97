// One vocabulary of options (docs/cli.md), checked on the command line `stride` itself parses:
// every command walked, every option read back from CLI11. A shared option has the shared meaning
// and default wherever it appears, no command is left without the shared options its work needs, no
// former spelling is a name in --help, every --json takes a FILE, and docs/cli.md names every option
// of every command, so that the page cannot fall behind the tool.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"

namespace stride::testing {
namespace {

using cli::former_spellings;
using cli::shared_options;

struct Command {
  std::string name;  // "stride zoo build"
  const CLI::App* app;
};

// The tool itself and each of its commands, depth first.
void collect(const CLI::App& app, const std::string& name, std::vector<Command>& out) {
  out.push_back({name, &app});
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    collect(*sub, name + " " + sub->get_name(), out);
}

std::vector<Command> commands_of(const CLI::App& app) {
  std::vector<Command> out;
  collect(app, "stride", out);
  return out;
}

std::string primary_name(const CLI::Option& o) {
  if (!o.get_lnames().empty()) return "--" + o.get_lnames().front();
  if (!o.get_snames().empty()) return "-" + o.get_snames().front();
  return o.get_name(true, false);  // a positional argument
}

// Every name an option answers to: "--output", "-o".
std::vector<std::string> names_of(const CLI::Option& o) {
  std::vector<std::string> names;
  for (const std::string& l : o.get_lnames()) names.push_back("--" + l);
  for (const std::string& s : o.get_snames()) names.push_back("-" + s);
  return names;
}

std::vector<const CLI::Option*> options_of(const CLI::App& app) {
  std::vector<const CLI::Option*> options;
  for (const CLI::Option* o : app.get_options())
    if (primary_name(*o) != "--help") options.push_back(o);
  return options;
}

bool is_former_spelling(const std::string& name) {
  return std::any_of(former_spellings().begin(), former_spellings().end(),
                     [&](const cli::FormerSpelling& f) { return f.name == name; });
}

// Each breach of the vocabulary, in words naming the command and the option.
std::vector<std::string> vocabulary_breaches(const CLI::App& app) {
  std::vector<std::string> breaches;
  for (const Command& c : commands_of(app)) {
    for (const CLI::Option* o : options_of(*c.app)) {
      const std::string name = primary_name(*o);
      const bool hidden = o->get_group().empty();
      if (is_former_spelling(name) && !hidden)
        breaches.push_back(c.name + ": " + name + " is a former spelling, shown as a name of its own");
      if (name == "--json" && (o->get_items_expected_min() != 1 || o->get_items_expected_max() != 1))
        breaches.push_back(c.name + ": --json does not take one FILE");
      for (const cli::SharedOption& s : shared_options()) {
        if (s.name != name || hidden) continue;
        if (!o->get_description().starts_with(s.meaning))
          breaches.push_back(c.name + ": " + name + " says '" + o->get_description() + "', not '" +
                             std::string(s.meaning) + "'");
        if (!s.default_value.empty() && o->get_default_str() != s.default_value)
          breaches.push_back(c.name + ": " + name + " defaults to '" + o->get_default_str() + "', not '" +
                             std::string(s.default_value) + "'");
      }
    }
  }
  return breaches;
}

std::string meaning_of(std::string_view name) {
  for (const cli::SharedOption& s : shared_options())
    if (s.name == name) return std::string(s.meaning);
  throw std::runtime_error("no shared option " + std::string(name));
}

CLI::App& stride_app() {
  static CLI::App app;
  static const bool built = (cli::add_commands(app), true);
  (void)built;
  return app;
}

const CLI::App& command(const std::string& name) {
  for (const Command& c : commands_of(stride_app()))
    if (c.name == name) return *c.app;
  throw std::runtime_error("no command " + name);
}

bool has_option(const CLI::App& app, const std::string& name) {
  const auto options = options_of(app);
  return std::any_of(options.begin(), options.end(),
                     [&](const CLI::Option* o) { return primary_name(*o) == name && !o->get_group().empty(); });
}

TEST(OptionsVocabulary, EveryCommandFollowsIt) {
  const std::vector<std::string> breaches = vocabulary_breaches(stride_app());
  EXPECT_TRUE(breaches.empty()) << ::testing::PrintToString(breaches);
}

// The check above fails on each kind of breach: a --json flag, a former spelling as a name,
// another default or another meaning for a shared option.
TEST(OptionsVocabulary, TheCheckCatchesEachBreach) {
  CLI::App app;
  CLI::App* x = app.add_subcommand("x");
  bool flag = false;
  std::string text;
  int threads = 4;
  x->add_flag("--json", flag, meaning_of("--json"));
  x->add_option("--calib", text, "Calibration folder");
  x->add_option("--threads", threads, meaning_of("--threads"))->capture_default_str();
  x->add_option("--backend", text, "Backend to use")->default_str("auto");
  const std::vector<std::string> breaches = vocabulary_breaches(app);
  ASSERT_EQ(breaches.size(), 4u) << ::testing::PrintToString(breaches);
  EXPECT_EQ(breaches[0], "stride x: --json does not take one FILE");
  EXPECT_EQ(breaches[1], "stride x: --calib is a former spelling, shown as a name of its own");
  EXPECT_EQ(breaches[2], "stride x: --threads defaults to '4', not '0'");
  EXPECT_EQ(breaches[3].rfind("stride x: --backend says 'Backend to use', not 'Engine: auto", 0), 0u) << breaches[3];
}

// The issue's list: each command that reads a dataset, chooses an engine, computes, writes results
// or draws random numbers has the shared option for it.
TEST(OptionsVocabulary, CommandsHaveTheSharedOptionsTheirWorkNeeds) {
  std::map<std::string, std::vector<std::string>> expected = {
      {"--data", {"eval", "sensitivity", "quantize", "prune", "data preview", "compare"}},
      {"--backend", {"run", "bench", "eval", "sensitivity", "quantize", "prune", "compare"}},
      {"--json", {"info", "bench", "eval", "sensitivity", "quantize", "prune", "convert", "compare", "export-c"}},
      {"--threads", {"run", "bench", "eval", "sensitivity", "quantize", "prune", "data synth", "compare"}},
      {"--batch", {"info", "run", "bench", "eval", "quantize", "prune", "zoo build"}},
      {"--seed", {"run", "bench", "prune", "convert", "data synth", "data synth-imu", "zoo build"}},
      {"--split", {"eval", "sensitivity"}},
      {"--samples", {"sensitivity", "quantize", "prune", "compare"}},
      {"--classifier", {"eval", "sensitivity", "quantize"}},
      {"--energy", {"bench", "eval"}},
  };
#ifdef STRIDE_WITH_TORCH
  for (const char* option : {"--data", "--threads", "--batch", "--seed"}) expected[option].push_back("train");
#endif
  for (const auto& [option, commands] : expected)
    for (const std::string& name : commands)
      EXPECT_TRUE(has_option(command("stride " + name), option)) << "stride " << name << " has no " << option;
  // Every shared option is listed above.
  for (const cli::SharedOption& s : shared_options()) EXPECT_TRUE(expected.count(std::string(s.name))) << s.name;
}

TEST(OptionsVocabulary, FormerSpellingsStillWorkWhereScriptsUsedThem) {
  const CLI::App& quantize = command("stride quantize");
  for (const auto& [app, name] : {std::pair{&quantize, "--calib"}, std::pair{&quantize, "--bench-batches"},
                                  std::pair{&command("stride prune"), "--bench-batches"}}) {
    const CLI::Option* former = app->get_option_no_throw(name);
    ASSERT_NE(former, nullptr) << name;
    EXPECT_TRUE(former->get_group().empty()) << name << " is shown in --help";
  }
}

// The text of the section headed "### `stride zoo build`", up to the next heading.
std::string section(const std::string& page, const std::string& command) {
  const std::string heading = "### `" + command + "`\n";
  const size_t start = page.find(heading);
  if (start == std::string::npos) return {};
  const size_t end = page.find("\n#", start + heading.size());
  return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// `name` as a whole option name: "--batch" is not found in "--batches".
bool names(const std::string& text, const std::string& name) {
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    const size_t after = at + name.size();
    const bool whole_after =
        after == text.size() || !(std::isalnum(static_cast<unsigned char>(text[after])) || text[after] == '-');
    const bool whole_before = at == 0 || text[at - 1] == ' ' || text[at - 1] == '`' || text[at - 1] == ',' ||
                              text[at - 1] == '|' || text[at - 1] == '(' || text[at - 1] == '[';
    if (whole_after && whole_before) return true;
  }
  return false;
}

std::string cli_page() {
  std::ifstream in(STRIDE_DOCS_DIR "/cli.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(OptionsVocabulary, DocsNameEveryOptionOfEveryCommand) {
  const std::string page = cli_page();
  ASSERT_FALSE(page.empty()) << STRIDE_DOCS_DIR "/cli.md";
  for (const Command& c : commands_of(stride_app())) {
    const std::string text = section(page, c.name);
    ASSERT_FALSE(text.empty()) << "docs/cli.md has no section \"### `" << c.name << "`\"";
    for (const CLI::Option* o : options_of(*c.app))
      for (const std::string& name : names_of(*o)) EXPECT_TRUE(names(text, name)) << c.name << ": " << name;
  }
  // The vocabulary's table has a row for each shared option, whose default it states.
  const std::string table = page.substr(0, page.find("\n### "));
  for (const cli::SharedOption& s : shared_options()) {
    const std::string row = "| `" + std::string(s.name) + "`";
    const size_t at = table.find(row);
    ASSERT_NE(at, std::string::npos) << s.name;
    if (!s.default_value.empty()) {
      const std::string line = table.substr(at, table.find('\n', at) - at);
      EXPECT_NE(line.find("`" + std::string(s.default_value) + "`"), std::string::npos) << line;
    }
  }
}

TEST(OptionsVocabulary, TheDocsCheckFindsAMissingName) {
  EXPECT_TRUE(names("`--batch N` and `--seed`", "--batch"));
  EXPECT_FALSE(names("`--batches`", "--batch"));
  EXPECT_FALSE(names("`--bench-batches`", "--batch"));
  EXPECT_FALSE(names("--no-layers", "--layers"));
}

}  // namespace
}  // namespace stride::testing
