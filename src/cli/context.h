#ifndef IZDE_CLI_CONTEXT_H_
#define IZDE_CLI_CONTEXT_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>

#include "core/result.h"
#include "io/index_snapshot.h"
#include "match/candidate_index.h"
#include "registry/registry.h"
#include "registry/store.h"

namespace izde::cli {

// What every command shares: global options, the open registry, and how to print.
class Context {
 public:
  Context(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}

  std::string db_path;       // --db, IZDE_DB, or ./izde.db
  bool json = false;         // --json: print data as JSON
  std::string log_level = "warn";
  // The name index snapshot (io/index_snapshot.h): --index-cache PATH, --no-index-cache.
  std::string index_cache;
  bool no_index_cache = false;

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // Opens the database (creating it only when `create`), once per process.
  Result<registry::Registry*> OpenRegistry(bool create = false);
  registry::Store& store() { return *store_; }
  // Where the opened database's name index snapshot is kept: --index-cache PATH, else
  // io::DefaultIndexSnapshotPath; empty with --no-index-cache (or nothing opened yet).
  std::string IndexSnapshotPath() const;

  // "cli:<login name>", written into the audit trail.
  registry::Actor actor() const;

  // Prints a JSON document (pretty) followed by a newline.
  void PrintJson(const nlohmann::json& document);
  // A progress line on stderr, redrawn in place; only when stderr is a terminal.
  std::function<void(int64_t done, int64_t total)> ProgressBar(std::string label);

 private:
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<registry::Store> store_;
  std::unique_ptr<registry::Registry> registry_;
};

// A command's body: runs after parsing; a non-ok Status is printed and exits 1.
using Action = std::function<Status()>;

// Each file of commands adds its subcommands to `app`; the chosen one stores its body in
// `action`.
void AddRegistryCommands(CLI::App& app, Context& context, Action& action);
void AddDataCommands(CLI::App& app, Context& context, Action& action);
void AddNameCommands(CLI::App& app, Context& context, Action& action);
void AddSearchCommands(CLI::App& app, Context& context, Action& action);
void AddLinkCommands(CLI::App& app, Context& context, Action& action);
void AddLinkageCommands(CLI::App& app, Context& context, Action& action);  // linkage_commands.cc
void AddUserCommands(CLI::App& app, Context& context, Action& action);
void AddServeCommands(CLI::App& app, Context& context, Action& action);
void AddEvidenceCommands(CLI::App& app, Context& context, Action& action);
void AddBackupCommands(CLI::App& app, Context& context, Action& action);  // backup_commands.cc

// PartialDate::Parse, with `field` named in the error.
Result<PartialDate> ParseDateField(std::string_view text, const char* field);

// Resolves what a user types for a person: "P-000123", "123" or an external id.
Result<int64_t> ResolvePersonId(registry::Store& store, std::string_view text);

// Fills `index` (empty) with every person of the opened registry: from the name index snapshot
// when it is current (io/index_snapshot.h; --no-index-cache, --index-cache), else analysing
// every name on `threads` threads, with a progress bar on a terminal. With `note`, says on
// stderr where the index came from and how long it took.
Result<io::IndexLoadReport> LoadRegistryIndex(Context& context, const registry::Gazetteer& places,
                                              match::CandidateIndex& index, int threads, bool note);

}  // namespace izde::cli

#endif  // IZDE_CLI_CONTEXT_H_
