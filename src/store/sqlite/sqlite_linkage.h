#ifndef IZDE_STORE_SQLITE_SQLITE_LINKAGE_H_
#define IZDE_STORE_SQLITE_SQLITE_LINKAGE_H_

#include <mutex>

#include "registry/linkage.h"
#include "registry/linkage_bulk.h"
#include "store/sqlite/connection.h"

namespace izde::store::internal {

// The linkage tables (migration 2) on one SQLite connection.
// Thread safety: with `mu`, every call holds it (the store's own reads); without, the caller
// already holds the connection (a transaction).
class SqliteLinkage final : public registry::LinkageWriter,
                            public registry::CandidatePairsWriter,
                            public registry::ListRowsWriter {
 public:
  SqliteLinkage(SqliteConnection& connection, std::recursive_mutex* mu) : c_(connection), mu_(mu) {}

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
  std::unique_lock<std::recursive_mutex> Lock() {
    return mu_ != nullptr ? std::unique_lock(*mu_) : std::unique_lock<std::recursive_mutex>();
  }
  Result<std::vector<registry::ExternalList>> ReadLists(std::string_view where, int64_t id);

  SqliteConnection& c_;
  std::recursive_mutex* mu_;
};

}  // namespace izde::store::internal

#endif  // IZDE_STORE_SQLITE_SQLITE_LINKAGE_H_
