// evidence add, list, get: files kept encrypted in the vault beside the database.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/context.h"
#include "registry/evidence.h"
#include "registry/evidence_use_cases.h"
#include "store/vault.h"

namespace izde::cli {
namespace {

using registry::Evidence;

// The database file a --db location names ("sqlite:PATH" or PATH).
std::string DatabaseFile(std::string_view location) {
  constexpr std::string_view kPrefix = "sqlite:";
  if (location.substr(0, kPrefix.size()) == kPrefix) location.remove_prefix(kPrefix.size());
  return std::string(location);
}

// Opens the vault of the open registry. Without its key, evidence that exists cannot be
// read: say so plainly rather than fail on the first file.
Result<std::unique_ptr<store::Vault>> OpenVault(Context& context, int64_t max_bytes) {
  const std::string db = DatabaseFile(context.db_path);
  store::VaultOptions options{.dir = store::DefaultVaultDir(db),
                              .key_path = store::DefaultVaultKeyPath(db),
                              .max_bytes = max_bytes};
  Result<std::unique_ptr<store::Vault>> vault = store::Vault::Open(options);
  if (vault.ok()) return vault;
  IZDE_ASSIGN_OR_RETURN(int64_t count, context.store().CountEvidence());
  if (count > 0) {
    return FailedPreconditionError(fmt::format(
        "the registry holds {} evidence files, and they cannot be read or added to without "
        "the vault key: {}. Restore the key file from your backup; a new key cannot read them",
        count, vault.status().message()));
  }
  return vault.status();
}

std::string SizeText(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024 * 1024));
}

}  // namespace

void AddEvidenceCommands(CLI::App& app, Context& context, Action& action) {
  CLI::App* evidence =
      app.add_subcommand("evidence", "Add, list and read evidence files (encrypted at rest)");
  evidence->require_subcommand(1);

  // evidence add
  struct AddFlags {
    std::string file, person, testimony, note, kind, privacy = "restricted";
    int64_t max_mib = store::kDefaultEvidenceLimitBytes / (1024 * 1024);
  };
  auto add_flags = std::make_shared<AddFlags>();
  CLI::App* add = evidence->add_subcommand(
      "add", "Encrypt a photo, document scan, video or audio file into the vault");
  add->add_option("FILE", add_flags->file, "The file; its type is read from its content")
      ->required();
  add->add_option("--person", add_flags->person, "The person it documents (P-000123)");
  add->add_option("--testimony", add_flags->testimony, "The testimony it belongs to (T-000123)");
  add->add_option("--note", add_flags->note, "A private note");
  add->add_option("--kind", add_flags->kind,
                  "photo, document, video or audio (default: from the content)");
  add->add_option("--privacy", add_flags->privacy, "public, restricted or private")
      ->capture_default_str();
  add->add_option("--max-size", add_flags->max_mib, "Largest file accepted, in MiB")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  add->callback([&, add_flags] {
    action = [&, add_flags]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      registry::EvidenceDraft draft;
      if (!add_flags->person.empty()) {
        IZDE_ASSIGN_OR_RETURN(draft.person_id, ResolvePersonId(context.store(), add_flags->person));
      }
      if (!add_flags->testimony.empty()) {
        Result<int64_t> id = ParseId(IdKind::kTestimony, add_flags->testimony);
        if (!id.ok()) return InvalidArgumentError(id.status().message(), "testimony");
        draft.testimony_id = *id;
      }
      if (!add_flags->kind.empty()) {
        IZDE_ASSIGN_OR_RETURN(draft.kind, registry::ParseEvidenceKind(add_flags->kind));
      }
      IZDE_ASSIGN_OR_RETURN(draft.privacy, registry::ParsePrivacy(add_flags->privacy));
      draft.note = add_flags->note;
      // Only the last part: the folders a volunteer keeps files in say nothing about them.
      draft.original_name = std::filesystem::path(add_flags->file).filename().string();
      IZDE_ASSIGN_OR_RETURN(auto vault, OpenVault(context, add_flags->max_mib * 1024 * 1024));
      std::ifstream file(add_flags->file, std::ios::binary);
      if (!file) {
        return InvalidArgumentError(fmt::format("cannot open '{}'", add_flags->file), "file");
      }
      IZDE_ASSIGN_OR_RETURN(Evidence added,
                            registry::AddEvidence(*registry, *vault, draft, file, context.actor()));
      if (context.json) {
        context.PrintJson(registry::ToJson(added));
      } else {
        context.out() << fmt::format("Added {}: {} ({}), {}, sha256 {}\n", added.public_id(),
                                     added.media_type, registry::EvidenceKindName(added.kind),
                                     SizeText(added.size), added.sha256);
      }
      return OkStatus();
    };
  });

  // evidence list
  auto list_person = std::make_shared<std::string>();
  CLI::App* list = evidence->add_subcommand(
      "list", "The evidence of a person, and of the testimonies about them");
  list->add_option("PERSON", *list_person, "P-000123, 123 or an external id")->required();
  list->callback([&, list_person] {
    action = [&, list_person]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      IZDE_ASSIGN_OR_RETURN(int64_t person_id, ResolvePersonId(context.store(), *list_person));
      IZDE_ASSIGN_OR_RETURN(auto items, registry::EvidenceOfPerson(*registry, person_id));
      if (context.json) {
        nlohmann::json array = nlohmann::json::array();
        for (const Evidence& item : items) array.push_back(registry::ToJson(item));
        context.PrintJson(array);
        return OkStatus();
      }
      if (items.empty()) {
        context.out() << fmt::format("No evidence for {}\n", FormatId(IdKind::kPerson, person_id));
      }
      for (const Evidence& item : items) {
        std::string owner = item.person_id != 0 ? FormatId(IdKind::kPerson, item.person_id) : "";
        if (item.testimony_id != 0) {
          owner += (owner.empty() ? "" : " ") + FormatId(IdKind::kTestimony, item.testimony_id);
        }
        context.out() << fmt::format("{}  {:<8} {:<16} {:>10}  {}  {}  {}\n", item.public_id(),
                                     registry::EvidenceKindName(item.kind), item.media_type,
                                     SizeText(item.size), item.created_at, owner,
                                     item.original_name);
      }
      return OkStatus();
    };
  });

  // evidence get
  struct GetFlags {
    std::string id, out;
  };
  auto get_flags = std::make_shared<GetFlags>();
  CLI::App* get = evidence->add_subcommand(
      "get", "Decrypt one evidence file, checking that it is the file that was added");
  get->add_option("ID", get_flags->id, "V-000123")->required();
  get->add_option("--out", get_flags->out, "Where to write the file")->required();
  get->callback([&, get_flags] {
    action = [&, get_flags]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      Result<int64_t> id = ParseId(IdKind::kEvidence, get_flags->id);
      if (!id.ok()) return InvalidArgumentError(id.status().message(), "id");
      IZDE_ASSIGN_OR_RETURN(auto vault, OpenVault(context, store::kDefaultEvidenceLimitBytes));
      // Decrypted beside the target and renamed over it only once every byte is verified:
      // a tampered file never leaves a half-written copy behind.
      const std::string partial = get_flags->out + ".partial";
      Status status;
      {
        std::ofstream file(partial, std::ios::binary | std::ios::trunc);
        if (!file) return UnavailableError(fmt::format("cannot write '{}'", partial));
        status = registry::ReadEvidence(*registry, *vault, *id, file);
        file.close();
        if (status.ok() && !file) {
          status = UnavailableError(fmt::format("cannot write '{}'", partial));
        }
      }
      if (status.ok() && std::rename(partial.c_str(), get_flags->out.c_str()) != 0) {
        status = UnavailableError(fmt::format("cannot write '{}'", get_flags->out));
      }
      if (!status.ok()) {
        std::remove(partial.c_str());
        return status;
      }
      context.err() << fmt::format("Wrote {} to {}\n", FormatId(IdKind::kEvidence, *id),
                                   get_flags->out);
      return OkStatus();
    };
  });
}

}  // namespace izde::cli
