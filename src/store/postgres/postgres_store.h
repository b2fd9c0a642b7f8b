#ifndef IZDE_STORE_POSTGRES_POSTGRES_STORE_H_
#define IZDE_STORE_POSTGRES_POSTGRES_STORE_H_

#include <memory>
#include <string>

#include "core/result.h"
#include "registry/store.h"

namespace izde::store {

namespace internal {
class ConnectionPool;
class PgLinkage;
}  // namespace internal

// The server backend: a PostgreSQL database reached through libpqxx, for several izde
// processes on one database and registries larger than a laptop's SQLite file.
// Thread safety: every method may run on any thread. Reads outside a transaction take a
// pooled connection each and see what is committed (read committed; scans see one
// snapshot). A transaction holds its own connection from Begin() until it is committed or
// destroyed; writers do not wait for each other except on the same rows. Concurrent edits
// of one record are caught by its version (kAborted), as in the SQLite backend.
// Every write runs under a savepoint, so that a failed write (kAlreadyExists, ...) leaves
// the transaction usable, as SQLite does.
class PostgresStore final : public registry::Store {
 public:
  // Connects to `url` ("postgresql://user@host:port/dbname", any libpq connection URI) and
  // migrates the database to the current schema. The database itself must exist. With
  // `create` false, a database without izde's schema is kFailedPrecondition; an unknown
  // database is kNotFound; an unreachable server kUnavailable.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url, bool create);
  ~PostgresStore() override;

  static int CurrentSchemaVersion();
  Result<int> SchemaVersion();

  Result<std::unique_ptr<registry::StoreTransaction>> Begin() override;
  // A repeatable-read, read-only transaction on a pooled connection of its own.
  Result<std::unique_ptr<registry::StoreReader>> BeginRead() override;
  // Begin() with inserts buffered and written by COPY (pg_bulk.h).
  Result<std::unique_ptr<registry::StoreTransaction>> BeginBulk() override;
  Status ScanPersons(const registry::PersonVisitor& visit) override;
  Status ScanTestimonies(const registry::TestimonyVisitor& visit) override;
  Status ScanEvents(const registry::EventVisitor& visit) override;
  // The URL without its password and options.
  std::string Describe() const override;

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
  registry::LinkageReader& linkage() override;
  Result<registry::User> GetUser(int64_t id) override;
  Result<registry::User> FindUserByName(std::string_view name) override;
  Result<std::vector<registry::User>> ListUsers() override;
  Result<registry::Session> GetSession(std::string_view token_hash) override;
  Result<std::vector<registry::Session>> ListSessions(int64_t user_id) override;
  // Evidence records (pg_evidence.cc); the files stay in the vault (store/vault.h).
  Result<registry::Evidence> GetEvidence(int64_t id) override;
  Result<std::vector<registry::Evidence>> EvidenceOfPerson(int64_t person_id) override;
  Result<int64_t> CountEvidence() override;

  // The change sequence (pg_changes.cc): a row of `changes` per committed transaction that
  // wrote audit entries, numbered under a lock at commit, and a NOTIFY on izde_changes.
  Result<int64_t> ChangePosition() override;
  Result<ChangeBatch> ChangesAfter(int64_t position, int64_t limit) override;
  Result<std::unique_ptr<ChangeWatch>> WatchChanges() override;

  internal::ConnectionPool& pool() { return *pool_; }

 private:
  explicit PostgresStore(std::unique_ptr<internal::ConnectionPool> pool);

  std::unique_ptr<internal::ConnectionPool> pool_;
  std::unique_ptr<internal::PgLinkage> linkage_;
};

}  // namespace izde::store

#endif  // IZDE_STORE_POSTGRES_POSTGRES_STORE_H_
