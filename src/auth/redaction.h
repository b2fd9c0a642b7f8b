#ifndef IZDE_AUTH_REDACTION_H_
#define IZDE_AUTH_REDACTION_H_

// The redaction policy: the one place that decides what a role may see of a record. The API,
// `izde export --public` and the public statistics all go through it; nothing else in izde
// decides what is private. docs/privacy.md explains the rules for users.
//
// Whole records (withheld = the record is left out, as if it did not exist):
//
//   record                         anonymous (public)        viewer             editor+
//   person, privacy public         shown, redacted           shown, redacted    full
//   person, privacy restricted     withheld                  shown, redacted    full
//   person, privacy private        withheld                  withheld           full
//   event                          as its person             as its person      full
//   relation                       both persons visible      both visible       full
//   testimony, consent publish     shown, redacted (1)       shown, redacted    full
//   testimony, consent anonymise   anonymised (1)            anonymised (1)     full
//   testimony, consent private     withheld                  withheld           full
//   evidence (file and metadata)   withheld                  metadata (2)       full
//
//   (1) and only when every person the testimony mentions is visible to the role: a
//       testimony is about them, and would expose a withheld person.
//   (2) not when the evidence's privacy is private, nor when its person or testimony is
//       withheld. Downloading the file itself needs MayDownloadEvidence (editor+).
//
// Fields of a shown record ("-" = removed from the view, emptied in a redacted record):
//
//   field                              anonymous            viewer               editor+
//   person prc_id, notes               -                    -                    shown
//   person hometown_text (address)     -                    shown                shown
//   person external_id, names[].source -                    shown                shown
//   person version, created/updated_at -                    shown                shown
//   person record warnings             -                    -                    shown
//   event place_text, source, note     -                    shown                shown
//   event version, created_at          -                    shown                shown
//   event testimony                    only if that testimony is visible to the role
//   relation note                      -                    shown                shown
//   testimony testifier_name           -                    consent publish      shown
//   testimony testifier_contact        -                    -                    shown
//   testimony transcript, link         consent publish      shown                shown
//   testimony persons[].relation       consent publish      consent publish      shown
//   testimony external_id, version,    -                    shown                shown
//     created_at
//   evidence original_name, note,      (withheld)           -                    shown
//     added_by, blob
//
// Everything else (ids, names, gender, birth date, ethnicity, hometown division code,
// occupation, privacy, grade, status; event type, date, place code; testimony date,
// language, medium, summary, consent, the persons it mentions) is shown to every role that
// sees the record. Editors, reviewers and admins see everything.
//
// Statistics for a role count only the persons that role may see (StatsFilter).

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/role.h"
#include "core/result.h"
#include "io/export.h"
#include "registry/event.h"
#include "registry/evidence.h"
#include "registry/person.h"
#include "registry/registry.h"
#include "registry/relation.h"
#include "registry/store.h"
#include "registry/testimony.h"

namespace izde::auth {

// Whether `role` may see the person at all (its privacy against the role). Pure.
bool MaySeePerson(Role role, const registry::Person& person);

// Whether `role` may download evidence files (the decrypted content). Metadata is decided by
// Redactor::View(Evidence).
bool MayDownloadEvidence(Role role);

// A predicate for Registry::ComputeStats: true for the persons `role` may see, so that the
// public statistics count only public entries.
std::function<bool(const registry::Person&)> StatsFilter(Role role);

// Applies the policy for one role. Records refer to others (a testimony to the persons it
// mentions, an event to its testimony, a relation to two persons): the Redactor looks those
// up in `store` and remembers the answers, so one Redactor serves one request or one export.
// Errors are the store's (a referenced record that does not exist counts as withheld).
// Thread safety: an instance belongs to one thread. `store` must outlive it.
class Redactor {
 public:
  Redactor(Role role, registry::StoreReader& store) : role_(role), store_(store) {}

  Role role() const { return role_; }

  // Reads the privacy of every person and decides every testimony up front, so that a
  // full export makes no lookups per record. Optional; answers are the same without it.
  Status Preload(registry::Store& store);

  // Whether the role may see the record, by id or as given.
  Result<bool> MaySeePerson(int64_t person_id);
  Result<bool> MaySeeTestimony(int64_t testimony_id);
  Result<bool> MaySeeTestimony(const registry::Testimony& testimony);

  // The record as the role may see it, with every withheld field emptied (0 for a withheld
  // reference), or nullopt when the whole record is withheld. Field by field, these are the
  // views below without the removed members.
  std::optional<registry::Person> Redact(const registry::Person& person) const;
  Result<std::optional<registry::Testimony>> Redact(const registry::Testimony& testimony);
  Result<std::optional<registry::Event>> Redact(const registry::Event& event);
  Result<std::optional<registry::Relation>> Redact(const registry::Relation& relation);

  // The JSON form of registry/json.h with every withheld member removed (not emptied: a
  // client cannot tell an empty field from one it may not see, and need not), or nullopt.
  std::optional<nlohmann::json> View(const registry::Person& person) const;
  Result<std::optional<nlohmann::json>> View(const registry::Testimony& testimony);
  Result<std::optional<nlohmann::json>> View(const registry::Event& event);
  Result<std::optional<nlohmann::json>> View(const registry::Relation& relation);
  // Evidence records (never the file: MayDownloadEvidence). Withheld from the public; for a
  // viewer without original_name, note, added_by and blob, and withheld when its privacy is
  // private or its person or testimony is withheld.
  Result<std::optional<nlohmann::json>> View(const registry::Evidence& evidence);
  // {"person", "status", "events", "testimonies", "relations", "warnings"} as
  // `izde person show --json` prints it, each part redacted, withheld events, testimonies
  // and relations left out; "warnings" only for editors and above. The record's person, once
  // shown, is noted as visible: what is about it does not read it again from the store.
  Result<std::optional<nlohmann::json>> View(const registry::PersonRecord& record);

  // The filter `izde export` passes to io::Export: every record through Redact above.
  // The returned filter refers to this Redactor.
  io::RecordFilter ExportFilter();

 private:
  // A redacted record and the JSON members it lost ("names.source" = the member `source`
  // of each item of the array `names`).
  template <typename T>
  struct Redacted {
    T record;
    std::vector<std::string_view> removed;
  };

  std::optional<Redacted<registry::Person>> RedactPerson(const registry::Person& person) const;
  Result<std::optional<Redacted<registry::Testimony>>> RedactTestimony(
      const registry::Testimony& testimony);
  Result<std::optional<Redacted<registry::Event>>> RedactEvent(const registry::Event& event);
  Result<std::optional<Redacted<registry::Relation>>> RedactRelation(
      const registry::Relation& relation);
  // Whether the consent and the role let the testimony be seen, before its mentions.
  bool ConsentAllows(const registry::Testimony& testimony) const;

  Role role_;
  registry::StoreReader& store_;
  std::unordered_map<int64_t, bool> persons_;      // person id -> visible
  std::unordered_map<int64_t, bool> testimonies_;  // testimony id -> visible
};

}  // namespace izde::auth

#endif  // IZDE_AUTH_REDACTION_H_
