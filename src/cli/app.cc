#include "cli/app.h"

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/context.h"
#include "core/log.h"

namespace izde::cli {

void AddCopyCommands(CLI::App& app, Context& context, Action& action);  // copy_commands.cc

int Main(int argc, char** argv) {
  CLI::App app{"izde: a registry of people missing or detained in Xinjiang"};
  app.require_subcommand(1);
  // Global options (--db, --json) may also follow the subcommand: `izde person show 1 --json`.
  app.fallthrough();
  Context context(std::cout, std::cerr);
  const char* env_db = std::getenv("IZDE_DB");
  context.db_path = env_db != nullptr && *env_db != '\0' ? env_db : "izde.db";
  app.add_option("--db", context.db_path,
                 "Registry database: a SQLite file or a postgresql:// URL (default ./izde.db or $IZDE_DB)");
  app.add_flag("--json", context.json, "Print data as JSON");
  app.add_option("--log-level", context.log_level, "debug, info, warn, error or off")
      ->capture_default_str();
  app.add_flag("--no-index-cache", context.no_index_cache,
               "Analyse every name again: neither read nor write the name index snapshot");
  app.add_option(
      "--index-cache", context.index_cache,
      "Name index snapshot file (default: DB.index beside a SQLite file; none for PostgreSQL)");

  Action action;
  AddRegistryCommands(app, context, action);
  AddDataCommands(app, context, action);
  AddNameCommands(app, context, action);
  AddSearchCommands(app, context, action);
  AddLinkCommands(app, context, action);
  AddLinkageCommands(app, context, action);
  AddUserCommands(app, context, action);
  AddServeCommands(app, context, action);
  AddEvidenceCommands(app, context, action);
  AddBackupCommands(app, context, action);
  AddCopyCommands(app, context, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // Prints help or the usage error; --help exits 0, a usage error 2.
    return app.exit(error) == 0 ? 0 : 2;
  }
  Status logging = InitLogging(context.log_level);
  if (!logging.ok()) {
    std::cerr << "izde: " << logging.ToString() << "\n";
    return 2;
  }
  if (!action) return 2;
  Status status = action();
  if (!status.ok()) {
    std::cerr << "izde: error: " << status.ToString() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace izde::cli
