// copy: move a whole registry between SQLite and PostgreSQL, resumably (docs/postgres.md).
#include <fmt/format.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/context.h"
#include "store/copy.h"

namespace izde::cli {
namespace {

nlohmann::json ReportJson(const store::CopyReport& report) {
  nlohmann::json tables = nlohmann::json::array();
  for (const store::TableCheck& check : report.tables) {
    tables.push_back({{"table", check.table},
                      {"source_rows", check.source_rows},
                      {"target_rows", check.target_rows},
                      {"copied", check.copied},
                      {"source_sha256", check.source_sha256},
                      {"target_sha256", check.target_sha256},
                      {"matches", check.matches()}});
  }
  nlohmann::json not_copied = nlohmann::json::object();
  for (const auto& [table, why] : store::TablesNotCopied()) not_copied[table] = why;
  return {{"tables", tables},
          {"not_copied", not_copied},
          {"vault_files", report.vault_files},
          {"vault_files_copied", report.vault_files_copied},
          {"evidence_checked", report.evidence_checked},
          {"key_copied", report.key_copied},
          {"verified", report.verified()},
          {"problems", report.problems}};
}

void PrintReport(Context& context, const store::CopyReport& report) {
  std::ostream& out = context.out();
  out << fmt::format("{:<16} {:>12} {:>12} {:>10}  {:<16}  {:<16}\n", "table", "source rows",
                     "target rows", "copied", "source sha256", "target sha256");
  for (const store::TableCheck& check : report.tables) {
    out << fmt::format("{:<16} {:>12} {:>12} {:>10}  {:<16}  {:<16}  {}\n", check.table,
                       check.source_rows, check.target_rows, check.copied,
                       check.source_sha256.substr(0, 16), check.target_sha256.substr(0, 16),
                       check.matches() ? "ok" : "DIFFERENT");
  }
  for (const auto& [table, why] : store::TablesNotCopied()) {
    out << fmt::format("{:<16} not copied: {}\n", table, why);
  }
  out << fmt::format(
      "vault: {} files ({} copied now), {} evidence files decrypted and checked against their "
      "sha256; key {}\n",
      report.vault_files, report.vault_files_copied, report.evidence_checked,
      report.key_copied ? "copied" : "already there or none");
  for (const std::string& problem : report.problems) out << "problem: " << problem << "\n";
  out << (report.verified() ? "Verified: the target holds the same registry.\n"
                            : "NOT verified: see the problems above.\n");
}

}  // namespace

void AddCopyCommands(CLI::App& app, Context& context, Action& action) {
  struct CopyFlags {
    std::string from;
    std::string to;
    int64_t batch = 5000;
  };
  auto flags = std::make_shared<CopyFlags>();
  CLI::App* copy = app.add_subcommand(
      "copy", "Copy a whole registry (with its evidence vault and key) to another database");
  copy->add_option("--from", flags->from,
                   "The source registry: a SQLite file, sqlite:PATH or a postgresql:// URL "
                   "(default: --db)");
  copy->add_option("--to", flags->to,
                   "The target: a new or empty SQLite file, or an existing (empty) PostgreSQL "
                   "database; an interrupted copy's target to finish it")
      ->required();
  copy->add_option("--batch", flags->batch, "Rows per transaction")->capture_default_str();
  copy->callback([&, flags] {
    action = [&, flags]() -> Status {
      if (flags->batch < 1) return InvalidArgumentError("must be at least 1", "batch");
      const std::string from = flags->from.empty() ? context.db_path : flags->from;
      std::map<std::string, std::function<void(int64_t, int64_t)>, std::less<>> bars;
      store::CopyOptions options{.batch_rows = flags->batch};
      options.progress = [&](const store::CopyProgress& progress) {
        auto found = bars.find(progress.table);
        if (found == bars.end()) {
          found = bars.emplace(std::string(progress.table),
                               context.ProgressBar(fmt::format("{:<16}", progress.table)))
                      .first;
        }
        if (found->second) found->second(progress.done, progress.total);
      };
      IZDE_ASSIGN_OR_RETURN(store::CopyReport report,
                            store::CopyRegistry(from, flags->to, options));
      if (context.json) {
        context.PrintJson(ReportJson(report));
      } else {
        PrintReport(context, report);
      }
      if (!report.verified()) {
        return DataLossError(
            fmt::format("the copy differs from the source: {}", report.problems.front()));
      }
      return OkStatus();
    };
  });
}

}  // namespace izde::cli
