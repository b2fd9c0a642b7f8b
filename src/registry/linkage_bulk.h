#ifndef IZDE_REGISTRY_LINKAGE_BULK_H_
#define IZDE_REGISTRY_LINKAGE_BULK_H_

// The review queue and a list's rows written in bulk (`izde dedupe`, docs/dedupe.md). Both stores'
// linkage writers implement it beside LinkageWriter; Linkage::QueuePairs uses it when the writer
// has it and falls back to one UpsertCandidatePair per pair otherwise. It is kept apart from
// LinkageWriter (linkage.h, included by nearly every file through store.h) so that adding it
// rebuilt a handful of files, not the whole program; it can be folded into LinkageWriter.

#include <functional>
#include <span>
#include <vector>

#include "core/result.h"
#include "registry/linkage.h"

namespace izde::registry {

class CandidatePairsWriter {
 public:
  virtual ~CandidatePairsWriter() = default;

  // LinkageWriter::UpsertCandidatePair of every pair, in their order, with one created_at for
  // all and no ids returned: one statement prepared once (SQLite), or many rows per statement
  // (PostgreSQL). A pair given twice ends as its last. kInvalidArgument, and nothing
  // written, unless 0 < person_a < person_b for every pair.
  virtual Status UpsertCandidatePairs(const std::vector<CandidatePair>& pairs) = 0;
};

// An external list's rows written in bulk (`izde match`, docs/dedupe.md "match"). Both stores'
// linkage writers implement it; Linkage::CreateList uses it when the writer has it and falls
// back to InsertListRow and InsertRowCandidate per row otherwise.
class ListRowsWriter {
 public:
  virtual ~ListRowsWriter() = default;

  // LinkageWriter::InsertListRow of every row, in order, each followed by InsertRowCandidate
  // of its candidates as given (their ranks included): one statement of each kind prepared
  // once (SQLite), or many rows per statement (PostgreSQL). Sets each row's id and its
  // candidates' row_id, as the calls one by one would. Every row must name its list
  // (row.list_id); nothing is checked that the tables do not check themselves.
  virtual Status InsertListRows(std::span<ListRowInput> rows) = 0;
};

// ListRowsWriter::InsertListRows where `writer` has it; otherwise InsertListRow and
// InsertRowCandidate per row, with the same effect (ids and row_ids set) and the line and
// candidate named in an error. Used by CreateListInChunks and by the server's POST /api/lists.
Status InsertListRows(LinkageWriter& writer, std::span<ListRowInput> rows);

class Store;

// The next rows of a list to store (CreateListInChunks): a chunk the caller keeps, that stays
// valid until the next call, or an empty span when there are no more. An error ends the list:
// nothing is stored.
using ListRowChunks = std::function<Result<std::span<ListRowInput>>()>;

// Linkage::CreateList with the rows handed over chunk by chunk as they become ready, in one
// transaction: `izde match` stores the rows already matched while the later ones are matched.
// Each chunk is written as it comes (ListRowsWriter where the store has it) and keeps what
// CreateList sets: list_id and id of each row, rank and row_id of each candidate. The same
// checks and errors as CreateList; on any error nothing is stored.
Result<ExternalList> CreateListInChunks(Store& store, ExternalList list,
                                        const ListRowChunks& next_rows, const Actor& actor);

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_LINKAGE_BULK_H_
