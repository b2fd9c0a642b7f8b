// The change sequence of a PostgreSQL registry.
//
// Why not the audit ids: an id comes from the audit sequence when an entry is written, and
// transactions commit in another order. A writer that took id 10 may commit after one that
// took id 11; a follower that has read up to 11 would skip 10 for ever. Reading a window of
// recent ids again, or waiting out gaps with a timeout, only narrows the hole: an import may
// hold its first id for minutes before it commits.
//
// So each writing transaction adds, last thing before COMMIT, one row to `changes` listing
// its audit ids, and takes that row's id under a transaction-level advisory lock. The lock
// is released only after the commit is visible (PostgreSQL clears the transaction from the
// proc array before it releases locks), so the next writer gets a larger id only after this
// one is visible: ids of `changes` grow in commit order, and a reader that sees id n sees
// every committed id below n. Rolled-back transactions leave holes, never late arrivals.
// The cost is that commits of writing transactions queue on the lock for the length of one
// INSERT and the commit itself, not for the transaction.
//
// The NOTIFY in the same transaction is delivered at commit to every LISTENing watch; it is
// only a wake-up, and a watch looks at max(id) before it sleeps, so a lost notification
// (a broken connection) costs at most one wait's timeout.
#include "store/postgres/pg_changes.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "core/ids.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_store.h"

namespace izde::store {
namespace internal {
namespace {

// Shared by izde processes, apart from the migration lock ("izde" + 1).
constexpr int64_t kChangeLock = 0x697a6466;

}  // namespace

Status PgRecordChange(pqxx::transaction_base& txn, const std::vector<int64_t>& audit_ids) {
  if (audit_ids.empty()) return OkStatus();
  std::string array = "{";
  for (size_t id_idx = 0; id_idx < audit_ids.size(); ++id_idx) {
    if (id_idx > 0) array += ',';
    array += std::to_string(audit_ids[id_idx]);
  }
  array += '}';
  IZDE_RETURN_IF_ERROR(
      Exec(txn, "SELECT pg_advisory_xact_lock($1)", Params().Int(kChangeLock)).status());
  // A statement after the lock: it takes its snapshot, and its sequence value, once the
  // previous holder has committed.
  return Exec(txn,
              fmt::format("WITH added AS (INSERT INTO changes (audit_ids) VALUES ($1::bigint[]) "
                          "RETURNING id) SELECT pg_notify('{}', id::text) FROM added",
                          kChangeChannel),
              Params().Text(array))
      .status();
}

namespace {

// LISTENs on a connection of its own, opened on first use and again after it breaks.
class PgChangeWatch final : public registry::Store::ChangeWatch {
 public:
  explicit PgChangeWatch(std::string url) : url_(std::move(url)) {}
  ~PgChangeWatch() override { Close(); }

  Status Wait(int64_t position, std::chrono::milliseconds timeout) override {
    try {
      if (connection_ == nullptr) {
        connection_ = std::make_unique<pqxx::connection>(url_);
        receiver_ = std::make_unique<Receiver>(*connection_);  // LISTEN
      }
      // LISTEN is in place before this look: a commit after it wakes the wait below. A
      // notification handled during the look is counted, and ends the wait too.
      int64_t heard = receiver_->heard;
      int64_t last = 0;
      {
        pqxx::nontransaction txn(*connection_);
        pqxx::result rows = txn.exec("SELECT COALESCE(max(id), 0) FROM changes");
        last = Int(rows[0], 0);
      }
      connection_->get_notifs();
      if (last > position || receiver_->heard != heard) return OkStatus();
      auto micros = std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
      connection_->await_notification(static_cast<long>(micros / 1000000),
                                      static_cast<long>(micros % 1000000));
      return OkStatus();
    } catch (const std::exception& error) {
      Close();  // the next call opens a new connection
      return PgError(error, "waiting for changes");
    }
  }

 private:
  struct Receiver final : pqxx::notification_receiver {
    explicit Receiver(pqxx::connection_base& connection)
        : pqxx::notification_receiver(connection, kChangeChannel) {}
    void operator()(const std::string& /*payload*/, int /*backend_pid*/) override { ++heard; }
    int64_t heard = 0;
  };

  void Close() {
    try {
      receiver_.reset();  // before its connection
    } catch (...) {
    }
    connection_.reset();
  }

  std::string url_;
  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<Receiver> receiver_;
};

}  // namespace
}  // namespace internal

using internal::Exec;
using internal::Int;
using internal::Params;
using internal::Text;

Result<int64_t> PostgresStore::ChangePosition() {
  return internal::ReadOnly(*pool_, [](pqxx::transaction_base& txn) -> Result<int64_t> {
    IZDE_ASSIGN_OR_RETURN(pqxx::result rows, Exec(txn, "SELECT COALESCE(max(id), 0) FROM changes"));
    return Int(rows[0], 0);
  });
}

Result<registry::Store::ChangeBatch> PostgresStore::ChangesAfter(int64_t position, int64_t limit) {
  if (limit < 1) return InvalidArgumentError("must be at least 1", "limit");
  return internal::ReadOnly(*pool_, [&](pqxx::transaction_base& txn) -> Result<ChangeBatch> {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(txn,
             "SELECT c.id, a.id, a.at, a.actor, a.action, a.entity, a.person, a.note "
             "FROM (SELECT id, audit_ids FROM changes WHERE id > $1 ORDER BY id LIMIT $2) c "
             "CROSS JOIN LATERAL unnest(c.audit_ids) AS listed(audit_id) "
             "JOIN audit a ON a.id = listed.audit_id ORDER BY c.id, a.id",
             Params().Int(position).Int(limit)));
    ChangeBatch batch;
    batch.position = position;
    batch.changes.reserve(rows.size());
    for (const pqxx::row& row : rows) {
      Change change;
      change.position = Int(row, 0);
      registry::AuditEntry& entry = change.entry;
      entry.id = Int(row, 1);
      entry.at = Text(row, 2);
      entry.actor = Text(row, 3);
      entry.action = Text(row, 4);
      entry.entity = Text(row, 5);
      entry.person = Text(row, 6);
      if (entry.person.empty() && ParseId(IdKind::kPerson, entry.entity).ok()) {
        entry.person = entry.entity;
      }
      entry.note = Text(row, 7);
      batch.position = change.position;
      batch.changes.push_back(std::move(change));
    }
    return batch;
  });
}

Result<std::unique_ptr<registry::Store::ChangeWatch>> PostgresStore::WatchChanges() {
  return std::unique_ptr<ChangeWatch>(new internal::PgChangeWatch(pool_->url()));
}

}  // namespace izde::store
