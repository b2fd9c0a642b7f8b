#ifndef IZDE_STORE_SQLITE_SQLITE_STORE_H_
#define IZDE_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <mutex>
#include <string>

#include "core/result.h"
#include "registry/store.h"

struct sqlite3;

namespace izde::store {

namespace internal {
class SqliteConnection;
class SqliteLinkage;
}

// The embedded backend: one SQLite file in WAL mode with foreign keys on.
// Thread safety: one connection, serialised by a recursive mutex; a transaction holds it
// from Begin() until it is committed or destroyed, so reads from other threads wait.
class SqliteStore final : public registry::Store {
 public:
  // Opens (and with `create`, creates) the file and migrates it to the current schema.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, bool create);
  ~SqliteStore() override;

  // The schema version this program writes; migrations lead up to it.
  static int CurrentSchemaVersion();
  // The schema version stored in the file (PRAGMA user_version).
  Result<int> SchemaVersion();
  // PRAGMA integrity_check: ok, or kDataLoss with what SQLite found.
  Status CheckIntegrity();

  Result<std::unique_ptr<registry::StoreTransaction>> Begin() override;
  Result<std::unique_ptr<registry::StoreReader>> BeginRead() override;
  Status ScanPersons(const registry::PersonVisitor& visit) override;
  Status ScanTestimonies(const registry::TestimonyVisitor& visit) override;
  Status ScanEvents(const registry::EventVisitor& visit) override;
  std::string Describe() const override { return "sqlite:" + path_; }

  Result<registry::Person> GetPerson(int64_t id) override;
  Result<std::vector<registry::Person>> GetPersons(const std::vector<int64_t>& ids) override;
  Result<registry::Testimony> GetTestimony(int64_t id) override;
  Result<registry::Event> GetEvent(int64_t id) override;
  Result<registry::Relation> GetRelation(int64_t id) override;
  Result<int64_t> FindPersonByExternalId(std::string_view external_id) override;
  Result<int64_t> FindTestimonyByExternalId(std::string_view external_id) override;
  Result<std::vector<registry::Event>> EventsOfPerson(int64_t person_id) override;
  Result<std::vector<registry::Testimony>> TestimoniesOfPerson(int64_t person_id) override;
  Result<std::vector<registry::Relation>> RelationsOfPerson(int64_t person_id) override;
  Result<std::vector<registry::AuditEntry>> History(std::string_view entity) override;
  Result<registry::AuditEntry> GetAuditEntry(int64_t id) override;
  Result<registry::StoreCounts> Counts() override;
  Result<int64_t> CountPersons() override;
  registry::LinkageReader& linkage() override;  // in sqlite_linkage.cc
  // Users and sessions (sqlite_users.cc).
  Result<registry::User> GetUser(int64_t id) override;
  Result<registry::User> FindUserByName(std::string_view name) override;
  Result<std::vector<registry::User>> ListUsers() override;
  Result<registry::Session> GetSession(std::string_view token_hash) override;
  Result<std::vector<registry::Session>> ListSessions(int64_t user_id) override;

  // Evidence (store/sqlite/sqlite_evidence.cc).
  Result<registry::Evidence> GetEvidence(int64_t id) override;
  Result<std::vector<registry::Evidence>> EvidenceOfPerson(int64_t person_id) override;
  Result<int64_t> CountEvidence() override;

  // The change sequence (store/sqlite/sqlite_changes.cc): the audit ids themselves.
  Result<int64_t> ChangePosition() override;
  Result<ChangeBatch> ChangesAfter(int64_t position, int64_t limit) override;
  Result<std::unique_ptr<ChangeWatch>> WatchChanges() override;

 private:
  SqliteStore(std::string path, std::unique_ptr<internal::SqliteConnection> connection);

  std::string path_;
  std::recursive_mutex mu_;
  std::unique_ptr<internal::SqliteConnection> connection_;  // GUARDED_BY(mu_)
  std::unique_ptr<internal::SqliteLinkage> linkage_;        // locks mu_ itself
};

}  // namespace izde::store

#endif  // IZDE_STORE_SQLITE_SQLITE_STORE_H_
