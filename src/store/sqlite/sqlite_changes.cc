// The change sequence of a SQLite registry (registry/store.h, "Following changes").
//
// SQLite lets one writer in at a time, across processes: every write transaction starts with
// BEGIN IMMEDIATE and holds the write lock until it commits, and audit ids (AUTOINCREMENT)
// are handed out under that lock. So audit ids already grow in commit order, a rolled-back
// id is never seen, and the position is simply the last audit id read. No table, no trigger.
// Other processes' commits are found by polling max(id), which reads one page of the
// primary key.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "core/ids.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"

namespace izde::store {
namespace {

using internal::Statement;

// How often a watch looks at the database.
constexpr std::chrono::milliseconds kPollEvery(20);

class SqliteChangeWatch final : public registry::Store::ChangeWatch {
 public:
  explicit SqliteChangeWatch(SqliteStore& store) : store_(store) {}

  Status Wait(int64_t position, std::chrono::milliseconds timeout) override {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      IZDE_ASSIGN_OR_RETURN(int64_t now_at, store_.ChangePosition());
      if (now_at > position) return OkStatus();
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) return OkStatus();
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, kPollEvery));
    }
  }

 private:
  SqliteStore& store_;
};

}  // namespace

Result<int64_t> SqliteStore::ChangePosition() {
  std::lock_guard lock(mu_);
  IZDE_ASSIGN_OR_RETURN(Statement stmt, connection_->Prepare("SELECT max(id) FROM audit"));
  IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;  // NULL (no entry yet) reads as 0
}

Result<registry::Store::ChangeBatch> SqliteStore::ChangesAfter(int64_t position, int64_t limit) {
  if (limit < 1) return InvalidArgumentError("must be at least 1", "limit");
  std::lock_guard lock(mu_);
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        connection_->Prepare("SELECT id, at, actor, action, entity, person, note "
                                             "FROM audit WHERE id > ? ORDER BY id LIMIT ?"));
  stmt.Bind(1, position);
  stmt.Bind(2, limit);
  ChangeBatch batch;
  batch.position = position;
  while (true) {
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    Change change;
    change.position = stmt.Int(0);
    registry::AuditEntry& entry = change.entry;
    entry.id = stmt.Int(0);
    entry.at = stmt.Text(1);
    entry.actor = stmt.Text(2);
    entry.action = stmt.Text(3);
    entry.entity = stmt.Text(4);
    entry.person = stmt.Text(5);
    // A person's own entries are stored without the repetition (sqlite_store.cc, AppendAudit).
    if (entry.person.empty() && ParseId(IdKind::kPerson, entry.entity).ok()) {
      entry.person = entry.entity;
    }
    entry.note = stmt.Text(6);
    batch.position = change.position;
    batch.changes.push_back(std::move(change));
  }
  return batch;
}

Result<std::unique_ptr<registry::Store::ChangeWatch>> SqliteStore::WatchChanges() {
  return std::unique_ptr<ChangeWatch>(new SqliteChangeWatch(*this));
}

}  // namespace izde::store
