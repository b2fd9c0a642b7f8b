#include "store/sqlite/sqlite_linkage.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <type_traits>

#include "core/ids.h"
#include "store/row_values.h"
#include "store/sqlite/sqlite_store.h"

namespace izde::store::internal {

using registry::CandidatePair;
using registry::ExternalList;
using registry::Judgement;
using registry::ListRow;
using registry::ListRowInput;
using registry::RowCandidate;
using registry::RowJudgement;

namespace {

constexpr std::string_view kPairColumns = "id, person_a, person_b, score, explanation, created_at";

CandidatePair ReadPair(const Statement& row) {
  return {.id = row.Int(0),
          .person_a = row.Int(1),
          .person_b = row.Int(2),
          .score = row.Real(3),
          .explanation = row.Text(4),
          .created_at = row.Text(5)};
}

constexpr std::string_view kJudgementColumns =
    "id, person_a, person_b, verdict, actor, at, note, undone_at, undone_note";

Result<Judgement> ReadJudgement(const Statement& row) {
  Judgement judgement;
  judgement.id = row.Int(0);
  judgement.person_a = row.Int(1);
  judgement.person_b = row.Int(2);
  IZDE_ASSIGN_OR_RETURN(judgement.verdict, StoredVerdict(row.Text(3), "judgements", judgement.id));
  judgement.actor = row.Text(4);
  judgement.at = row.Text(5);
  judgement.note = row.Text(6);
  judgement.undone_at = row.Text(7);
  judgement.undone_note = row.Text(8);
  return judgement;
}

// Steps `stmt` to the end, reading each row with `read`.
template <typename T, typename ReadFn>
Result<std::vector<T>> ReadAll(Statement& stmt, ReadFn read) {
  std::vector<T> out;
  while (true) {
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if constexpr (std::is_same_v<decltype(read(stmt)), T>) {
      out.push_back(read(stmt));
    } else {
      IZDE_ASSIGN_OR_RETURN(T value, read(stmt));
      out.push_back(std::move(value));
    }
  }
  return out;
}

}  // namespace

Result<CandidatePair> SqliteLinkage::GetCandidatePair(int64_t id) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare(fmt::format("SELECT {} FROM candidate_pairs WHERE id = ?", kPairColumns)));
  stmt.Bind(1, id);
  IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError(fmt::format("no candidate pair {}", id));
  return ReadPair(stmt);
}

Result<std::vector<CandidatePair>> SqliteLinkage::PendingPairs(int64_t limit) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare(fmt::format(
          "SELECT {} FROM candidate_pairs p WHERE NOT EXISTS (SELECT 1 FROM judgements j "
          "WHERE j.person_a = p.person_a AND j.person_b = p.person_b AND j.undone_at = '') "
          "ORDER BY score DESC, id LIMIT ?",
          kPairColumns)));
  stmt.Bind(1, limit > 0 ? limit : int64_t{-1});
  return ReadAll<CandidatePair>(stmt, ReadPair);
}

Result<std::vector<Judgement>> SqliteLinkage::Judgements(bool include_undone) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare(fmt::format("SELECT {} FROM judgements WHERE ?1 OR undone_at = '' ORDER BY id",
                             kJudgementColumns)));
  stmt.Bind(1, int64_t{include_undone ? 1 : 0});
  return ReadAll<Judgement>(stmt, ReadJudgement);
}

Result<Judgement> SqliteLinkage::GetJudgement(int64_t id) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare(fmt::format("SELECT {} FROM judgements WHERE id = ?", kJudgementColumns)));
  stmt.Bind(1, id);
  IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError(fmt::format("no judgement {}", id));
  return ReadJudgement(stmt);
}

Result<std::vector<ExternalList>> SqliteLinkage::ReadLists(std::string_view where, int64_t id) {
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare(fmt::format("SELECT l.id, l.title, l.source_file, l.column_map, l.created_by, "
                             "l.created_at, (SELECT count(*) FROM list_rows r WHERE r.list_id = "
                             "l.id) FROM lists l {} ORDER BY l.id",
                             where)));
  if (!where.empty()) stmt.Bind(1, id);
  return ReadAll<ExternalList>(stmt, [](const Statement& row) {
    return ExternalList{.id = row.Int(0),
                        .title = row.Text(1),
                        .source_file = row.Text(2),
                        .column_map = row.Text(3),
                        .created_by = row.Text(4),
                        .created_at = row.Text(5),
                        .rows = row.Int(6)};
  });
}

Result<ExternalList> SqliteLinkage::GetList(int64_t id) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(std::vector<ExternalList> lists, ReadLists("WHERE l.id = ?", id));
  if (lists.empty()) return NotFoundError(fmt::format("no list {}", FormatId(IdKind::kList, id)));
  return lists.front();
}

Result<std::vector<ExternalList>> SqliteLinkage::Lists() {
  auto lock = Lock();
  return ReadLists("", 0);
}

namespace {
ListRow ReadRow(const Statement& row) {
  return {.id = row.Int(0), .list_id = row.Int(1), .line = row.Int(2), .values = row.Text(3)};
}
}  // namespace

Result<std::vector<ListRow>> SqliteLinkage::ListRows(int64_t list_id) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        c_.Prepare("SELECT id, list_id, line, fields FROM list_rows "
                                   "WHERE list_id = ? ORDER BY line, id"));
  stmt.Bind(1, list_id);
  return ReadAll<ListRow>(stmt, ReadRow);
}

Result<ListRow> SqliteLinkage::GetListRow(int64_t row_id) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        c_.Prepare("SELECT id, list_id, line, fields FROM list_rows WHERE id = ?"));
  stmt.Bind(1, row_id);
  IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError(fmt::format("no list row {}", row_id));
  return ReadRow(stmt);
}

Result<std::vector<RowCandidate>> SqliteLinkage::RowCandidates(int64_t list_id) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare("SELECT c.row_id, c.rank, c.person_id, c.score, c.explanation FROM "
                 "row_candidates c JOIN list_rows r ON r.id = c.row_id WHERE r.list_id = ? "
                 "ORDER BY r.line, r.id, c.rank"));
  stmt.Bind(1, list_id);
  return ReadAll<RowCandidate>(stmt, [](const Statement& row) {
    return RowCandidate{.row_id = row.Int(0),
                        .rank = static_cast<int>(row.Int(1)),
                        .person_id = row.Int(2),
                        .score = row.Real(3),
                        .explanation = registry::ExpandExplanation(row.Text(4))};
  });
}

Result<std::vector<RowJudgement>> SqliteLinkage::RowJudgements(int64_t list_id) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare("SELECT j.id, j.row_id, j.person_id, j.verdict, j.actor, j.at, j.note FROM "
                 "row_judgements j JOIN list_rows r ON r.id = j.row_id WHERE r.list_id = ? "
                 "ORDER BY j.id"));
  stmt.Bind(1, list_id);
  return ReadAll<RowJudgement>(stmt, [](const Statement& row) -> Result<RowJudgement> {
    RowJudgement judgement{.id = row.Int(0), .row_id = row.Int(1), .person_id = row.Int(2)};
    IZDE_ASSIGN_OR_RETURN(judgement.verdict,
                          StoredVerdict(row.Text(3), "row_judgements", judgement.id));
    judgement.actor = row.Text(4);
    judgement.at = row.Text(5);
    judgement.note = row.Text(6);
    return judgement;
  });
}

Result<int64_t> SqliteLinkage::UpsertCandidatePair(const CandidatePair& pair) {
  auto lock = Lock();
  if (pair.person_a <= 0 || pair.person_a >= pair.person_b) {
    return InvalidArgumentError(fmt::format("a pair needs two persons in order, got {} and {}",
                                            pair.person_a, pair.person_b),
                                "pair");
  }
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare("INSERT INTO candidate_pairs (person_a, person_b, score, explanation, "
                 "created_at) VALUES (?,?,?,?,?) ON CONFLICT (person_a, person_b) DO UPDATE "
                 "SET score = excluded.score, explanation = excluded.explanation "
                 "RETURNING id"));
  stmt.Bind(1, pair.person_a).Bind(2, pair.person_b).BindReal(3, pair.score);
  stmt.BindStable(4, pair.explanation).Bind(5, NowIso());
  IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return InternalError("upsert of a candidate pair returned no id");
  int64_t id = stmt.Int(0);
  // RETURNING rows are all produced by the first step; finish the statement.
  IZDE_ASSIGN_OR_RETURN(bool more, stmt.Step());
  (void)more;
  return id;
}

Status SqliteLinkage::UpsertCandidatePairs(const std::vector<CandidatePair>& pairs) {
  auto lock = Lock();
  for (const CandidatePair& pair : pairs) {
    if (pair.person_a <= 0 || pair.person_a >= pair.person_b) {
      return InvalidArgumentError(fmt::format("a pair needs two persons in order, got {} and {}",
                                              pair.person_a, pair.person_b),
                                  "pair");
    }
  }
  const std::string now = NowIso();
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare("INSERT INTO candidate_pairs (person_a, person_b, score, explanation, "
                 "created_at) VALUES (?,?,?,?,?) ON CONFLICT (person_a, person_b) DO UPDATE "
                 "SET score = excluded.score, explanation = excluded.explanation"));
  stmt.BindStable(5, now);
  for (const CandidatePair& pair : pairs) {
    stmt.Bind(1, pair.person_a).Bind(2, pair.person_b).BindReal(3, pair.score);
    stmt.BindStable(4, pair.explanation);
    IZDE_RETURN_IF_ERROR(stmt.Run());
    stmt.Rewind();  // keeps the bindings: created_at stays bound
  }
  return OkStatus();
}

Status SqliteLinkage::InsertListRows(std::span<ListRowInput> rows) {
  auto lock = Lock();
  // Each statement prepared once and rewound per row: preparing one per row and candidate
  // was most of the time `izde match` spent storing (1.1 s for 10,000 rows, docs/dedupe.md).
  IZDE_ASSIGN_OR_RETURN(Statement row_stmt,
                        c_.Prepare("INSERT INTO list_rows (list_id, line, fields) VALUES (?,?,?)"));
  IZDE_ASSIGN_OR_RETURN(
      Statement candidate_stmt,
      c_.Prepare("INSERT INTO row_candidates (row_id, rank, person_id, score, explanation) "
                 "VALUES (?,?,?,?,?)"));
  for (ListRowInput& input : rows) {
    row_stmt.Bind(1, input.row.list_id).Bind(2, input.row.line).BindStable(3, input.row.values);
    IZDE_RETURN_IF_ERROR(row_stmt.Run());
    row_stmt.Rewind();
    input.row.id = sqlite3_last_insert_rowid(c_.db());
    for (RowCandidate& candidate : input.candidates) {
      candidate.row_id = input.row.id;
      candidate_stmt.Bind(1, candidate.row_id).Bind(2, int64_t{candidate.rank});
      candidate_stmt.Bind(3, candidate.person_id).BindReal(4, candidate.score);
      candidate_stmt.BindStable(5, candidate.explanation);
      Status inserted = candidate_stmt.Run();
      if (!inserted.ok()) {
        return inserted.WithContext(fmt::format("line {}, candidate {}", input.row.line,
                                                FormatId(IdKind::kPerson, candidate.person_id)));
      }
      candidate_stmt.Rewind();
    }
  }
  return OkStatus();
}

Result<int64_t> SqliteLinkage::InsertJudgement(const Judgement& judgement) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare("INSERT INTO judgements (person_a, person_b, verdict, actor, at, note, "
                 "undone_at, undone_note) VALUES (?,?,?,?,?,?,'','')"));
  stmt.Bind(1, judgement.person_a).Bind(2, judgement.person_b);
  stmt.Bind(3, registry::VerdictName(judgement.verdict)).Bind(4, judgement.actor);
  stmt.Bind(5, NowIso()).Bind(6, judgement.note);
  IZDE_RETURN_IF_ERROR(stmt.Run());
  return sqlite3_last_insert_rowid(c_.db());
}

Status SqliteLinkage::MarkJudgementUndone(int64_t id, std::string_view note) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(Judgement judgement, GetJudgement(id));
  if (!judgement.active()) {
    return FailedPreconditionError(
        fmt::format("judgement {} was already undone at {}", id, judgement.undone_at));
  }
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare("UPDATE judgements SET undone_at = ?, undone_note = ? WHERE id = ?"));
  stmt.Bind(1, NowIso()).Bind(2, note).Bind(3, id);
  return stmt.Run();
}

Result<int64_t> SqliteLinkage::InsertList(const ExternalList& list) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare("INSERT INTO lists (title, source_file, column_map, created_by, created_at) "
                 "VALUES (?,?,?,?,?)"));
  stmt.Bind(1, list.title).Bind(2, list.source_file).Bind(3, list.column_map);
  stmt.Bind(4, list.created_by).Bind(5, NowIso());
  IZDE_RETURN_IF_ERROR(stmt.Run());
  return sqlite3_last_insert_rowid(c_.db());
}

Result<int64_t> SqliteLinkage::InsertListRow(const ListRow& row) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        c_.Prepare("INSERT INTO list_rows (list_id, line, fields) VALUES (?,?,?)"));
  stmt.Bind(1, row.list_id).Bind(2, row.line).BindStable(3, row.values);
  IZDE_RETURN_IF_ERROR(stmt.Run());
  return sqlite3_last_insert_rowid(c_.db());
}

Status SqliteLinkage::InsertRowCandidate(const RowCandidate& candidate) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare("INSERT INTO row_candidates (row_id, rank, person_id, score, explanation) "
                 "VALUES (?,?,?,?,?)"));
  stmt.Bind(1, candidate.row_id).Bind(2, int64_t{candidate.rank}).Bind(3, candidate.person_id);
  stmt.BindReal(4, candidate.score).BindStable(5, candidate.explanation);
  return stmt.Run();
}

Result<int64_t> SqliteLinkage::InsertRowJudgement(const RowJudgement& judgement) {
  auto lock = Lock();
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare("INSERT INTO row_judgements (row_id, person_id, verdict, actor, at, note) "
                 "VALUES (?,?,?,?,?,?)"));
  stmt.Bind(1, judgement.row_id).BindIdOrNull(2, judgement.person_id);
  stmt.Bind(3, registry::VerdictName(judgement.verdict)).Bind(4, judgement.actor);
  stmt.Bind(5, NowIso()).Bind(6, judgement.note);
  IZDE_RETURN_IF_ERROR(stmt.Run());
  return sqlite3_last_insert_rowid(c_.db());
}

}  // namespace izde::store::internal

namespace izde::store {

registry::LinkageReader& SqliteStore::linkage() { return *linkage_; }

}  // namespace izde::store
