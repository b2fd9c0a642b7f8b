// name analyze, name compare: the names layer on the command line. No database.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/context.h"
#include "names/analyze.h"
#include "names/chinese_variants.h"
#include "names/similarity.h"

namespace izde::cli {
namespace {

using names::NameAnalysis;
using names::NameComparison;

nlohmann::json AnalysisJson(const NameAnalysis& analysis,
                            const std::vector<names::ChineseVariant>& variants) {
  nlohmann::json parts = nlohmann::json::array();
  for (const NameAnalysis::Part& part : analysis.parts) {
    nlohmann::json json = {
        {"text", part.text}, {"role", part.role}, {"ascii", part.ascii}, {"key", part.key}};
    if (!part.stem.empty()) {
      json["stem"] = part.stem;
      json["stem_key"] = part.stem_key;
    }
    if (!part.alt_ascii.empty()) {
      json["alt_ascii"] = part.alt_ascii;
      json["alt_key"] = part.alt_key;
    }
    parts.push_back(std::move(json));
  }
  nlohmann::json forms = nlohmann::json::array();
  for (const names::KeyedForm& form : analysis.forms) {
    forms.push_back({{"transform", form.transform},
                     {"latin", form.latin},
                     {"ascii", form.ascii},
                     {"keys", form.keys}});
  }
  nlohmann::json chinese = nlohmann::json::array();
  for (const names::ChineseVariant& variant : variants) {
    chinese.push_back({{"text", variant.text}, {"score", variant.score}});
  }
  return {{"input", analysis.input},
          {"normalized", analysis.normalized},
          {"script", analysis.script},
          {"language", analysis.language},
          {"reordered", analysis.reordered},
          {"parts", std::move(parts)},
          {"forms", std::move(forms)},
          {"blocking_keys", analysis.blocking_keys},
          {"chinese_variants", std::move(chinese)}};
}

void PrintAnalysis(std::ostream& out, const NameAnalysis& analysis,
                   const std::vector<names::ChineseVariant>& variants) {
  out << fmt::format("{}\n  script:     {} (language: {}){}\n", analysis.input, analysis.script,
                     analysis.language, analysis.reordered ? ", reordered" : "");
  out << "  parts:\n";
  for (const NameAnalysis::Part& part : analysis.parts) {
    out << fmt::format("    {:<20} {:<11} {:<18} {}", part.text, part.role, part.ascii, part.key);
    if (!part.stem.empty()) out << fmt::format("  stem {} {}", part.stem, part.stem_key);
    if (!part.alt_ascii.empty()) out << fmt::format("  pinyin {} {}", part.alt_ascii, part.alt_key);
    out << "\n";
  }
  out << "  forms:\n";
  for (const names::KeyedForm& form : analysis.forms) {
    out << fmt::format("    {:<34} {:<26} {}\n", form.transform, form.latin,
                       fmt::join(form.keys, " "));
  }
  out << fmt::format("  blocking keys: {}\n", fmt::join(analysis.blocking_keys, " "));
  if (!variants.empty()) {
    out << "  potential Chinese variants:";
    for (const names::ChineseVariant& variant : variants) out << " " << variant.text;
    out << "\n";
  }
}

nlohmann::json ComparisonJson(const NameAnalysis& left, const NameAnalysis& right,
                              const NameComparison& comparison) {
  nlohmann::json matches = nlohmann::json::array();
  for (const names::PartMatch& match : comparison.matches) {
    nlohmann::json json = {{"score", match.score}, {"basis", match.basis}};
    json["left"] = match.left >= 0
                       ? nlohmann::json(left.parts[static_cast<size_t>(match.left)].text)
                       : nlohmann::json(nullptr);
    json["right"] = match.right >= 0
                        ? nlohmann::json(right.parts[static_cast<size_t>(match.right)].text)
                        : nlohmann::json(nullptr);
    matches.push_back(std::move(json));
  }
  return {{"left", left.input},
          {"right", right.input},
          {"score", comparison.score},
          {"verdict", comparison.verdict},
          {"matches", std::move(matches)}};
}

void PrintComparison(std::ostream& out, const NameAnalysis& left, const NameAnalysis& right,
                     const NameComparison& comparison) {
  out << fmt::format("{:.3f} {}: {} ~ {}\n", comparison.score, comparison.verdict, left.input,
                     right.input);
  for (const names::PartMatch& match : comparison.matches) {
    const std::string left_text =
        match.left >= 0 ? left.parts[static_cast<size_t>(match.left)].text : "-";
    const std::string right_text =
        match.right >= 0 ? right.parts[static_cast<size_t>(match.right)].text : "-";
    out << fmt::format("  {:<20} {:<20} {:.3f} {}\n", left_text, right_text, match.score,
                       match.basis);
  }
}

// Reads FILE, or stdin for "-". The stream lives as long as the returned holder.
struct Input {
  std::unique_ptr<std::ifstream> file;
  std::istream* stream = nullptr;
};

Result<Input> OpenInput(const std::string& path) {
  Input input;
  if (path == "-") {
    input.stream = &std::cin;
    return input;
  }
  input.file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!input.file->is_open()) return NotFoundError("cannot open " + path);
  input.stream = input.file.get();
  return input;
}

// Analyses each distinct name once: batch files repeat names (one query against many
// candidates), and analysis costs far more than comparison. The cache is dropped when it grows
// past kMaxCached names so that memory stays bounded on files of distinct names.
class AnalysisCache {
 public:
  // Pointers from Get() stay valid until the next call of Trim().
  Result<const NameAnalysis*> Get(const std::string& name) {
    auto found = cache_.find(name);
    if (found != cache_.end()) return &found->second;
    IZDE_ASSIGN_OR_RETURN(NameAnalysis analysis, names::AnalyzeName(name));
    return &cache_.emplace(name, std::move(analysis)).first->second;
  }
  void Trim() {
    if (cache_.size() >= kMaxCached) cache_.clear();
  }

 private:
  static constexpr size_t kMaxCached = 1'000'000;
  std::unordered_map<std::string, NameAnalysis> cache_;
};

// Runs `handle` on each line of `path` (without its end-of-line). A line that `handle` rejects
// is reported on stderr with its number and does not stop the run; the run then fails.
template <typename Handle>
Status ForEachLine(Context& context, const std::string& path, Handle handle) {
  IZDE_ASSIGN_OR_RETURN(Input input, OpenInput(path));
  std::string line;
  int64_t line_number = 0;
  int64_t bad_lines = 0;
  while (std::getline(*input.stream, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    Status status = handle(line);
    if (!status.ok()) {
      ++bad_lines;
      context.err() << fmt::format("izde: {}:{}: {}\n", path == "-" ? "stdin" : path, line_number,
                                   status.message());
    }
  }
  context.out().flush();
  if (bad_lines > 0) {
    return InvalidArgumentError(
        fmt::format("{} of {} lines could not be read", bad_lines, line_number));
  }
  return OkStatus();
}

// `izde name compare --batch`: "left<TAB>right" -> "score<TAB>verdict", one line per line;
// a bad line gets "NA<TAB>error" so that output lines stay aligned with input lines.
Status CompareBatch(Context& context, const std::string& path) {
  AnalysisCache cache;
  std::string output;
  auto flush = [&] {
    context.out() << output;
    output.clear();
  };
  Status status = ForEachLine(context, path, [&](const std::string& line) -> Status {
    auto result = [&]() -> Result<NameComparison> {
      const size_t tab = line.find('\t');
      if (tab == std::string::npos || line.find('\t', tab + 1) != std::string::npos) {
        return InvalidArgumentError("expected two names separated by one tab");
      }
      cache.Trim();
      IZDE_ASSIGN_OR_RETURN(const NameAnalysis* left, cache.Get(line.substr(0, tab)));
      IZDE_ASSIGN_OR_RETURN(const NameAnalysis* right, cache.Get(line.substr(tab + 1)));
      return names::CompareAnalyses(*left, *right);
    }();
    if (!result.ok()) {
      output += "NA\terror\n";
    } else {
      fmt::format_to(std::back_inserter(output), "{:.4f}\t{}\n", result->score, result->verdict);
    }
    if (output.size() > (1 << 16)) flush();
    return result.status();
  });
  flush();
  return status;
}

// `izde name analyze --batch`: one JSON object per line, or {"error": ...} for a bad line.
Status AnalyzeBatch(Context& context, const std::string& path) {
  return ForEachLine(context, path, [&](const std::string& line) -> Status {
    Result<NameAnalysis> analysis = names::AnalyzeName(line);
    if (!analysis.ok()) {
      context.out() << nlohmann::json{{"error", analysis.status().message()}}.dump() << "\n";
      return analysis.status();
    }
    context.out() << AnalysisJson(*analysis, names::ChineseVariants(*analysis))
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                  << "\n";
    return OkStatus();
  });
}

}  // namespace

void AddNameCommands(CLI::App& app, Context& context, Action& action) {
  CLI::App* name = app.add_subcommand("name", "Analyse and compare names (needs no database)");
  name->require_subcommand(1);

  // name analyze
  struct AnalyzeFlags {
    std::string text, batch;
  };
  auto analyze_flags = std::make_shared<AnalyzeFlags>();
  CLI::App* analyze = name->add_subcommand(
      "analyze", "Script, parts, Latin forms, keys and potential Chinese variants of a name");
  analyze->add_option("TEXT", analyze_flags->text, "The name, in any script");
  analyze->add_option("--batch", analyze_flags->batch,
                      "Analyse each line of FILE (- for stdin); prints one JSON object a line");
  analyze->callback([&, analyze_flags] {
    action = [&, analyze_flags]() -> Status {
      if (!analyze_flags->batch.empty()) return AnalyzeBatch(context, analyze_flags->batch);
      if (analyze_flags->text.empty()) return InvalidArgumentError("give a name or --batch FILE");
      IZDE_ASSIGN_OR_RETURN(NameAnalysis analysis, names::AnalyzeName(analyze_flags->text));
      const std::vector<names::ChineseVariant> variants = names::ChineseVariants(analysis);
      if (context.json) {
        context.PrintJson(AnalysisJson(analysis, variants));
      } else {
        PrintAnalysis(context.out(), analysis, variants);
      }
      return OkStatus();
    };
  });

  // name compare
  struct CompareFlags {
    std::vector<std::string> names;
    std::string batch;
  };
  auto compare_flags = std::make_shared<CompareFlags>();
  CLI::App* compare =
      name->add_subcommand("compare", "Score two names: same, possibly or different, and why");
  compare->add_option("NAMES", compare_flags->names, "Two names, in any scripts")->expected(0, 2);
  compare->add_option("--batch", compare_flags->batch,
                      "Compare each 'left<TAB>right' line of FILE (- for stdin); prints "
                      "'score<TAB>verdict' a line, in order");
  compare->callback([&, compare_flags] {
    action = [&, compare_flags]() -> Status {
      if (!compare_flags->batch.empty()) return CompareBatch(context, compare_flags->batch);
      if (compare_flags->names.size() != 2) {
        return InvalidArgumentError("give two names, or --batch FILE");
      }
      IZDE_ASSIGN_OR_RETURN(NameAnalysis left, names::AnalyzeName(compare_flags->names[0]));
      IZDE_ASSIGN_OR_RETURN(NameAnalysis right, names::AnalyzeName(compare_flags->names[1]));
      const NameComparison comparison = names::CompareAnalyses(left, right);
      if (context.json) {
        context.PrintJson(ComparisonJson(left, right, comparison));
      } else {
        PrintComparison(context.out(), left, right, comparison);
      }
      return OkStatus();
    };
  });
}

}  // namespace izde::cli
