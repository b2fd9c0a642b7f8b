#ifndef IZDE_REGISTRY_STORE_H_
#define IZDE_REGISTRY_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "registry/audit.h"
#include "registry/event.h"
#include "registry/linkage.h"
#include "registry/evidence.h"
#include "registry/person.h"
#include "registry/relation.h"
#include "registry/testimony.h"
#include "registry/user.h"

namespace izde::registry {

// Counts of what a store holds.
struct StoreCounts {
  int64_t persons = 0;
  int64_t names = 0;
  int64_t testimonies = 0;
  int64_t events = 0;
  int64_t relations = 0;
  int64_t audit_entries = 0;
};

// Reads that see the state as of the call (inside a transaction: including its own writes).
class StoreReader {
 public:
  virtual ~StoreReader() = default;

  // kNotFound when there is no such record.
  virtual Result<Person> GetPerson(int64_t id) = 0;
  virtual Result<Testimony> GetTestimony(int64_t id) = 0;
  virtual Result<Event> GetEvent(int64_t id) = 0;
  virtual Result<Relation> GetRelation(int64_t id) = 0;
  // kNotFound when no person carries that external id.
  virtual Result<int64_t> FindPersonByExternalId(std::string_view external_id) = 0;
  virtual Result<int64_t> FindTestimonyByExternalId(std::string_view external_id) = 0;

  // Ordered by id.
  virtual Result<std::vector<Event>> EventsOfPerson(int64_t person_id) = 0;
  virtual Result<std::vector<Testimony>> TestimoniesOfPerson(int64_t person_id) = 0;
  virtual Result<std::vector<Relation>> RelationsOfPerson(int64_t person_id) = 0;
  // The audit trail of one record ("P-000123"), oldest first. Includes entries of its
  // events when `entity` is a person.
  virtual Result<std::vector<AuditEntry>> History(std::string_view entity) = 0;
  virtual Result<AuditEntry> GetAuditEntry(int64_t id) = 0;

  virtual Result<StoreCounts> Counts() = 0;
  // Counts().persons alone, in one count: counting the other tables walks every page of them
  // (seconds at 1M persons when they are not in the page cache), where the index snapshot's
  // check at start needs only this.
  virtual Result<int64_t> CountPersons() = 0;

  // --- Record linkage (registry/linkage.h): review queue, judgements, external lists. ---
  // Reads of linkage data with the same visibility as the other reads.
  virtual LinkageReader& linkage() = 0;
  // --- users and sessions (server) ------------------------------------------------------
  // kNotFound when there is no such user or session.
  virtual Result<User> GetUser(int64_t id) = 0;
  virtual Result<User> FindUserByName(std::string_view name) = 0;
  // Ordered by id.
  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Result<Session> GetSession(std::string_view token_hash) = 0;
  // The sessions of one user (every user's when user_id is 0), newest first.
  virtual Result<std::vector<Session>> ListSessions(int64_t user_id) = 0;
  // --- Evidence (registry/evidence.h). Not pure, so that a backend without evidence
  // still builds; it answers kFailedPrecondition. ---
  // kNotFound when there is no such evidence.
  virtual Result<Evidence> GetEvidence(int64_t id);
  // The evidence of a person: attached to it, or to a testimony that mentions it; by id.
  virtual Result<std::vector<Evidence>> EvidenceOfPerson(int64_t person_id);
  // How many evidence records there are (0 lets a registry run without a vault key).
  virtual Result<int64_t> CountEvidence();
};

// Visitors for full scans. Return a non-ok Status to stop the scan with that status.
using PersonVisitor = std::function<Status(const Person&, const std::vector<Event>&)>;
using TestimonyVisitor = std::function<Status(const Testimony&)>;
using EventVisitor = std::function<Status(const Event&)>;

// One unit of work: every write of a use case and its audit entries commit together or not
// at all. Destroying an uncommitted transaction rolls it back.
// Thread safety: a transaction belongs to the thread that began it.
class StoreTransaction : public StoreReader {
 public:
  // Inserts and returns the new id. A record whose id is not 0 keeps that id (restoring a
  // deleted record, importing an export); kAlreadyExists when that id or the external_id
  // is taken. Ids are never reused: a new record's id is above every id ever given.
  virtual Result<int64_t> InsertPerson(const Person& person) = 0;
  // Replaces the record whose id is person.id if its stored version is
  // person.version; the stored version becomes person.version + 1.
  // kAborted when the version differs (someone else changed it), kNotFound if absent.
  virtual Status UpdatePerson(const Person& person) = 0;
  // kFailedPrecondition while events, mentions or relations still refer to it.
  virtual Status DeletePerson(int64_t id) = 0;

  virtual Result<int64_t> InsertTestimony(const Testimony& testimony) = 0;
  virtual Status UpdateTestimony(const Testimony& testimony) = 0;
  virtual Status DeleteTestimony(int64_t id) = 0;

  virtual Result<int64_t> InsertEvent(const Event& event) = 0;
  virtual Status UpdateEvent(const Event& event) = 0;
  virtual Status DeleteEvent(int64_t id) = 0;

  virtual Result<int64_t> InsertRelation(const Relation& relation) = 0;
  virtual Status DeleteRelation(int64_t id) = 0;

  // Stamps entry.at and returns the new entry's id.
  virtual Result<int64_t> AppendAudit(const AuditEntry& entry) = 0;

  // --- users and sessions (server) ------------------------------------------------------
  // Inserts a user, stamping created_at; kAlreadyExists when the name is taken.
  virtual Result<int64_t> InsertUser(const User& user) = 0;
  // Replaces name, role, password hash and disabled of user.id; kNotFound if absent.
  virtual Status UpdateUser(const User& user) = 0;
  // kAlreadyExists when the token hash is taken.
  virtual Status InsertSession(const Session& session) = 0;
  // Replaces expires_at, last_seen_at and revoked of the session; kNotFound if absent.
  virtual Status UpdateSession(const Session& session) = 0;

  virtual Status Commit() = 0;

  // --- Record linkage (registry/linkage.h): writes inside this transaction. ---
  virtual LinkageWriter& linkage_writer() = 0;
  // --- Evidence (registry/evidence.h); see StoreReader. ---
  // Inserts the record (its file is already in the vault) and returns the new id; stamps
  // created_at. kInvalidArgument when it names neither a person nor a testimony, kNotFound
  // when the person or testimony does not exist.
  virtual Result<int64_t> InsertEvidence(const Evidence& evidence);
  virtual Status DeleteEvidence(int64_t id);
};

// Where the registry keeps its records. Implemented in store/ (SQLite, PostgreSQL).
// Thread safety: all methods may be called from several threads; a backend serialises
// writers as it must.
class Store : public StoreReader {
 public:
  // Starts a write transaction. kUnavailable when the database stays locked.
  virtual Result<std::unique_ptr<StoreTransaction>> Begin() = 0;

  // Starts a read transaction: every read through the returned reader sees one committed
  // state (another process's commit falls before or after them, never between), at the cost
  // of one transaction instead of one per read (a person page's record: docs/server.md
  // "Throughput"). SQLite holds the store's one connection until the reader is destroyed,
  // so other threads' reads wait: keep it short. Begun on a thread inside its own write
  // transaction, SQLite reads in that one (its writes included). PostgreSQL reads on a
  // pooled connection of its own, repeatable read. Thread safety: the reader belongs to
  // the thread that began it.
  virtual Result<std::unique_ptr<StoreReader>> BeginRead() = 0;

  // Full scans in id order, for exports, statistics and index builds.
  virtual Status ScanPersons(const PersonVisitor& visit) = 0;
  virtual Status ScanTestimonies(const TestimonyVisitor& visit) = 0;
  virtual Status ScanEvents(const EventVisitor& visit) = 0;

  // Human-readable location ("sqlite:/path/izde.db").
  virtual std::string Describe() const = 0;

  // --- Bulk writes (imports, demo; Registry::BeginBulk) ---------------------------------
  // A transaction for many inserts, as Begin(). A backend may buffer inserts of persons,
  // testimonies, events and audit entries and write them in batches: ids still come back at
  // once and reads still see the writes, but a refused row (a taken external_id) may fail a
  // later call or Commit() instead of its insert, and then the whole transaction.
  virtual Result<std::unique_ptr<StoreTransaction>> BeginBulk() { return Begin(); }

  // --- Following changes (several servers on one database; docs/server.md) -------------
  // Every transaction that appended audit entries is one change, at a position of the
  // change sequence. Positions grow in COMMIT order: once a change at position p is
  // visible, every change below p that will ever be visible already is (PostgreSQL takes
  // the position under a lock at commit, store/postgres/pg_changes.cc; SQLite has one
  // writer at a time, and the audit id serves). A process that remembers the last position
  // it read therefore misses nothing. The defaults answer kFailedPrecondition.
  struct Change {
    int64_t position = 0;  // of the transaction that wrote `entry`
    AuditEntry entry;      // id, at, actor, action, entity, person, note; no before/after
  };
  struct ChangeBatch {
    std::vector<Change> changes;  // commit order; one transaction's entries by audit id
    int64_t position = 0;         // pass to the next ChangesAfter; unchanged when empty
  };
  // Waits for changes, on a connection of its own. Thread safety: one thread at a time.
  class ChangeWatch {
   public:
    virtual ~ChangeWatch() = default;
    // Returns at once when a change after `position` is committed, else when one may have
    // been (PostgreSQL: a NOTIFY; SQLite: polled every 20 ms) or `timeout` passed.
    // An error (kUnavailable when the database cannot be reached) leaves the watch usable.
    virtual Status Wait(int64_t position, std::chrono::milliseconds timeout) = 0;
  };
  // The position of the last committed change (0 when there is none).
  virtual Result<int64_t> ChangePosition() {
    return FailedPreconditionError("this store keeps no change sequence");
  }
  // The entries of changes committed after `position`, up to `limit` changes (SQLite: up
  // to `limit` entries; a transaction's entries may then span two batches).
  virtual Result<ChangeBatch> ChangesAfter(int64_t /*position*/, int64_t /*limit*/) {
    return FailedPreconditionError("this store keeps no change sequence");
  }
  virtual Result<std::unique_ptr<ChangeWatch>> WatchChanges() {
    return FailedPreconditionError("this store keeps no change sequence");
  }

  // --- Batched reads (a page of search or list results; docs/server.md "Throughput") ----
  // The persons of `ids` with their names, as GetPerson reads them, in the order of `ids`;
  // an id with no person is left out, an id given twice comes back twice. SQLite and
  // PostgreSQL read them in one read transaction, with one query per table for up to 256
  // ids; this default reads them one by one.
  virtual Result<std::vector<Person>> GetPersons(const std::vector<int64_t>& ids) {
    std::vector<Person> persons;
    persons.reserve(ids.size());
    for (int64_t id : ids) {
      Result<Person> person = GetPerson(id);
      if (person.ok()) {
        persons.push_back(std::move(person).value());
      } else if (person.status().code() != StatusCode::kNotFound) {
        return person.status();
      }
    }
    return persons;
  }
};

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_STORE_H_
