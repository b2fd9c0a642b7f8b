#ifndef IZDE_REGISTRY_LINKAGE_BULK_H_
#define IZDE_REGISTRY_LINKAGE_BULK_H_

// The review queue and a list's rows written in bulk (`izde dedupe`, docs/dedupe.md). Both stores'
// linkage writers implement it beside LinkageWriter; Linkage::QueuePairs uses it when the writer
// has it and falls back to one UpsertCandidatePair per pair otherwise. It is kept apart from
// LinkageWriter (linkage.h, included by nearly every file through store.h) so that adding it
// rebuilt a handful of files, not the whole program; it can be folded into LinkageWriter.

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
  virtual Status InsertListRows(std::vector<ListRowInput>& rows) = 0;
};

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_LINKAGE_BULK_H_
