// backup, restore: a consistent copy of a SQLite registry with its vault (docs/backup.md).
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/context.h"
#include "store/backup.h"

namespace izde::cli {
namespace {

nlohmann::json ManifestJson(const store::BackupManifest& manifest, const std::string& dir) {
  return {{"dir", dir},
          {"created_at", manifest.created_at},
          {"database_bytes", manifest.database_bytes},
          {"database_sha256", manifest.database_sha256},
          {"rows", manifest.table_rows},
          {"vault_files", manifest.vault_files.size()},
          {"key_included", manifest.key_included}};
}

int64_t Rows(const store::BackupManifest& manifest, const std::string& table) {
  auto found = manifest.table_rows.find(table);
  return found == manifest.table_rows.end() ? 0 : found->second;
}

void Print(Context& context, const store::BackupManifest& manifest, const std::string& dir,
           std::string_view verb) {
  if (context.json) {
    context.PrintJson(ManifestJson(manifest, dir));
    return;
  }
  context.out() << fmt::format(
      "{} {}: {} persons, {} events, {} testimonies, {} evidence files; database sha256 {}\n", verb,
      dir, Rows(manifest, "persons"), Rows(manifest, "events"), Rows(manifest, "testimonies"),
      manifest.vault_files.size(), manifest.database_sha256);
  if (!manifest.key_included && !manifest.vault_files.empty()) {
    context.out() << "The vault key is not in the backup: keep a copy of it apart "
                     "(docs/backup.md), or the evidence cannot be read after a restore.\n";
  }
}

}  // namespace

void AddBackupCommands(CLI::App& app, Context& context, Action& action) {
  struct BackupFlags {
    std::string out;
    bool include_key = false;
  };
  auto backup_flags = std::make_shared<BackupFlags>();
  CLI::App* backup = app.add_subcommand(
      "backup", "Copy the registry, its evidence vault and a manifest into a new directory");
  backup->add_option("OUT", backup_flags->out, "The backup directory (must not exist)")->required();
  backup->add_flag("--include-key", backup_flags->include_key,
                   "Also copy the vault key (whoever holds the backup can then read the evidence)");
  backup->callback([&, backup_flags] {
    action = [&, backup_flags]() -> Status {
      IZDE_ASSIGN_OR_RETURN(store::BackupManifest manifest,
                            store::BackupRegistry(context.db_path, backup_flags->out,
                                                  {.include_key = backup_flags->include_key}));
      Print(context, manifest, backup_flags->out, "Backed up to");
      return OkStatus();
    };
  });

  struct RestoreFlags {
    std::string in;
    bool force = false;
    bool verify_only = false;
  };
  auto restore_flags = std::make_shared<RestoreFlags>();
  CLI::App* restore =
      app.add_subcommand("restore", "Check a backup and install it as the registry named by --db");
  restore->add_option("IN", restore_flags->in, "A directory written by `izde backup`")->required();
  restore->add_flag("--force", restore_flags->force,
                    "Replace an existing registry (stop any server using it first)");
  restore->add_flag("--verify-only", restore_flags->verify_only,
                    "Only check the backup against its manifest; change nothing");
  restore->callback([&, restore_flags] {
    action = [&, restore_flags]() -> Status {
      if (restore_flags->verify_only) {
        IZDE_ASSIGN_OR_RETURN(store::BackupManifest manifest,
                              store::VerifyBackup(restore_flags->in));
        Print(context, manifest, restore_flags->in, "Verified");
        return OkStatus();
      }
      IZDE_ASSIGN_OR_RETURN(store::BackupManifest manifest,
                            store::RestoreRegistry(restore_flags->in, context.db_path,
                                                   {.force = restore_flags->force}));
      Print(context, manifest, context.db_path, "Restored");
      return OkStatus();
    };
  });
}

}  // namespace izde::cli
