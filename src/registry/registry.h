#ifndef IZDE_REGISTRY_REGISTRY_H_
#define IZDE_REGISTRY_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "registry/audit.h"
#include "registry/event.h"
#include "registry/person.h"
#include "registry/places.h"
#include "registry/relation.h"
#include "registry/store.h"
#include "registry/testimony.h"

namespace izde::registry {

// Who makes a change, as written in the audit trail: "cli:alice", "import:persons.csv".
struct Actor {
  std::string name;
};

// Everything shown about one person.
struct PersonRecord {
  Person person;
  std::string status;  // derived from events: CurrentStatusName
  std::vector<Event> events;
  std::vector<Testimony> testimonies;
  std::vector<Relation> relations;
  std::vector<std::string> warnings;  // e.g. the PRC ID's birth date differs from birth_date
};

// A person to import, with the events that came in the same row (its status column).
struct PersonImport {
  Person person;
  std::vector<Event> events;
};

// Called now and then during long work with (done, total).
using ProgressFn = std::function<void(int64_t done, int64_t total)>;

struct ImportSummary {
  std::vector<int64_t> person_ids;  // in row order
  int64_t events_created = 0;
};

// Counts by current status, ethnicity, prefecture (name) and year of first detention.
struct Stats {
  int64_t persons = 0;
  std::map<std::string, int64_t> by_status;
  std::map<std::string, int64_t> by_ethnicity;
  std::map<std::string, int64_t> by_prefecture;
  std::map<int, int64_t> by_detention_year;
};

// Many records written in one transaction, for imports: each Add* writes one record (already
// normalised) with its audit entry at once, so that nothing has to be held in memory; Commit
// makes them all visible together, and destroying the writer without Commit rolls every one
// back. reader() sees the store including what was added so far.
// Thread safety: a writer belongs to the thread that began it (Registry::BeginBulk).
class BulkWriter {
 public:
  StoreReader& reader() { return *txn_; }

  // Writes the person and the events of its row; fills in their ids. Returns the person's id.
  Result<int64_t> AddPerson(PersonImport& row);
  Result<int64_t> AddTestimony(Testimony& testimony);
  Result<int64_t> AddEvent(Event& event);

  int64_t persons() const { return persons_; }
  int64_t testimonies() const { return testimonies_; }
  int64_t events() const { return events_; }

  Status Commit();

 private:
  friend class Registry;
  BulkWriter(std::unique_ptr<StoreTransaction> txn, Actor actor)
      : txn_(std::move(txn)), actor_(std::move(actor)) {}

  std::unique_ptr<StoreTransaction> txn_;
  Actor actor_;
  int64_t persons_ = 0;
  int64_t testimonies_ = 0;
  int64_t events_ = 0;
};

// The use cases of the registry. Each write validates its input, then writes the change
// and its audit entry in one store transaction.
class Registry {
 public:
  Registry(Store& store, const Gazetteer& places) : store_(store), places_(places) {}

  Store& store() { return store_; }
  const Gazetteer& places() const { return places_; }

  // Checks a person and fills what can be derived: each name's script, the hometown code
  // from hometown_text where it resolves, the ethnicity's canonical code.
  // Returns kInvalidArgument naming the field at fault.
  Status NormalizePerson(Person& person) const;
  Status NormalizeEvent(Event& event) const;
  Status NormalizeTestimony(Testimony& testimony) const;

  // Warnings about an entry that is accepted but looks inconsistent.
  std::vector<std::string> Warnings(const Person& person) const;

  Result<Person> AddPerson(Person person, const Actor& actor);
  // kAborted when person.version is not the stored version.
  Result<Person> UpdatePerson(Person person, const Actor& actor);
  Result<Event> AddEvent(Event event, const Actor& actor);
  Result<Testimony> RecordTestimony(Testimony testimony, const Actor& actor);
  Result<Relation> AddRelation(Relation relation, const Actor& actor);

  Result<PersonRecord> GetPersonRecord(int64_t person_id);
  Result<std::vector<AuditEntry>> History(std::string_view entity);

  // Undoes the change recorded by one audit entry (restores `before`), as a new change
  // with its own audit entry. kAborted when the record changed since that entry.
  Result<int64_t> Revert(int64_t audit_id, const Actor& actor);

  // Begins a bulk write (an import) as `actor`. kUnavailable when the store stays locked.
  Result<std::unique_ptr<BulkWriter>> BeginBulk(const Actor& actor);

  // All rows or none: one transaction. Rows must already be normalised.
  Result<ImportSummary> ImportPersons(std::vector<PersonImport> rows, const Actor& actor,
                                      const ProgressFn& progress = {});
  Result<int64_t> ImportTestimonies(std::vector<Testimony> rows, const Actor& actor,
                                    const ProgressFn& progress = {});
  Result<int64_t> ImportEvents(std::vector<Event> rows, const Actor& actor,
                               const ProgressFn& progress = {});

  // Counts the persons for which `include` is true (all when it is empty): the public
  // statistics pass the redaction policy's filter (auth::StatsFilter).
  Result<Stats> ComputeStats(const std::function<bool(const Person&)>& include = {});

 private:
  Store& store_;
  const Gazetteer& places_;
};

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_REGISTRY_H_
