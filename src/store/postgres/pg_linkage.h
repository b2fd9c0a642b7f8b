#ifndef IZDE_STORE_POSTGRES_PG_LINKAGE_H_
#define IZDE_STORE_POSTGRES_PG_LINKAGE_H_

#include <pqxx/pqxx>

#include "registry/linkage.h"
#include "registry/linkage_bulk.h"
#include "store/postgres/pg_connection.h"

namespace izde::store::internal {

// The linkage tables (schema version 3) on PostgreSQL.
// With a transaction, every call runs in it (writes under a savepoint); without one (the
// store's own reads), each read takes a pooled connection and writes are
// kFailedPrecondition. Thread safety: as the store or transaction that owns it.
class PgLinkage final : public registry::LinkageWriter,
                        public registry::CandidatePairsWriter,
                        public registry::ListRowsWriter {
 public:
  PgLinkage(pqxx::transaction_base* txn, ConnectionPool* pool) : txn_(txn), pool_(pool) {}

  Result<registry::CandidatePair> GetCandidatePair(int64_t id) override;
  Result<std::vector<registry::CandidatePair>> PendingPairs(int64_t limit) override;
  Result<std::vector<registry::Judgement>> Judgements(bool include_undone) override;
  Result<registry::Judgement> GetJudgement(int64_t id) override;
  Result<registry::ExternalList> GetList(int64_t id) override;
  Result<std::vector<registry::ExternalList>> Lists() override;
  Result<std::vector<registry::ListRow>> ListRows(int64_t list_id) override;
  Result<registry::ListRow> GetListRow(int64_t row_id) override;
  Result<std::vector<registry::RowCandidate>> RowCandidates(int64_t list_id) override;
  Result<std::vector<registry::RowJudgement>> RowJudgements(int64_t list_id) override;

  Result<int64_t> UpsertCandidatePair(const registry::CandidatePair& pair) override;
  Result<int64_t> InsertJudgement(const registry::Judgement& judgement) override;
  Status MarkJudgementUndone(int64_t id, std::string_view note) override;
  Result<int64_t> InsertList(const registry::ExternalList& list) override;
  Result<int64_t> InsertListRow(const registry::ListRow& row) override;
  Status InsertRowCandidate(const registry::RowCandidate& candidate) override;
  Result<int64_t> InsertRowJudgement(const registry::RowJudgement& judgement) override;
  Status UpsertCandidatePairs(const std::vector<registry::CandidatePair>& pairs) override;
  Status InsertListRows(std::span<registry::ListRowInput> rows) override;

 private:
  template <typename Fn>
  std::invoke_result_t<Fn, pqxx::transaction_base&> Read(Fn fn) {
    if (txn_ != nullptr) return fn(*txn_);
    return ReadOnly(*pool_, fn);
  }
  template <typename Fn>
  std::invoke_result_t<Fn, pqxx::transaction_base&> Write(Fn fn) {
    if (txn_ == nullptr) {
      return FailedPreconditionError("linkage writes need a transaction (Store::Begin)");
    }
    return Savepoint(*txn_, [&] { return fn(*txn_); });
  }

  pqxx::transaction_base* txn_;
  ConnectionPool* pool_;
};

}  // namespace izde::store::internal

#endif  // IZDE_STORE_POSTGRES_PG_LINKAGE_H_
