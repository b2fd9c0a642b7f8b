#include "store/postgres/pg_linkage.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/ids.h"
#include "store/row_values.h"

namespace izde::store::internal {

using registry::CandidatePair;
using registry::ExternalList;
using registry::Judgement;
using registry::ListRow;
using registry::ListRowInput;
using registry::RowCandidate;
using registry::RowJudgement;
using Txn = pqxx::transaction_base;

namespace {

// A multi-row `INSERT ... VALUES ($1, ..), (..), ...` built one row at a time (the queue's
// pairs, a list's rows and candidates): `head` up to VALUES, `columns` parameters a row, and
// `tail` after the rows (ON CONFLICT, RETURNING). Rows per statement stay far below
// PostgreSQL's 65,535 parameters.
class MultiRowInsert {
 public:
  static constexpr size_t kRowsPerStatement = 1000;

  MultiRowInsert(std::string_view head, size_t columns, std::string_view tail = "")
      : head_(head), tail_(tail), columns_(columns) {}

  size_t rows() const { return rows_; }
  bool full() const { return rows_ == kRowsPerStatement; }

  // Adds one row's placeholders; its `columns` values go into the Params returned, in order.
  Params& AddRow() {
    sql_ += rows_ == 0 ? head_ : ", ";
    const size_t first = rows_ * columns_;
    sql_ += '(';
    for (size_t column = 1; column <= columns_; ++column) {
      if (column > 1) sql_ += ", ";
      sql_ += fmt::format("${}", first + column);
    }
    sql_ += ')';
    ++rows_;
    return params_;
  }

  // Runs the statement of the rows added (nothing when none) and starts a new one.
  Result<pqxx::result> Run(Txn& txn) {
    if (rows_ == 0) return pqxx::result();
    sql_ += tail_;
    Result<pqxx::result> result = Exec(txn, sql_, params_);
    sql_.clear();
    params_ = Params();
    rows_ = 0;
    return result;
  }

 private:
  std::string head_, tail_;
  size_t columns_;
  std::string sql_;
  Params params_;
  size_t rows_ = 0;
};

constexpr std::string_view kPairColumns = "id, person_a, person_b, score, explanation, created_at";

CandidatePair ReadPair(const pqxx::row& row) {
  return {.id = Int(row, 0),
          .person_a = Int(row, 1),
          .person_b = Int(row, 2),
          .score = Real(row, 3),
          .explanation = Text(row, 4),
          .created_at = Text(row, 5)};
}

constexpr std::string_view kJudgementColumns =
    "id, person_a, person_b, verdict, actor, at, note, undone_at, undone_note";

Result<Judgement> ReadJudgement(const pqxx::row& row) {
  Judgement judgement;
  judgement.id = Int(row, 0);
  judgement.person_a = Int(row, 1);
  judgement.person_b = Int(row, 2);
  IZDE_ASSIGN_OR_RETURN(judgement.verdict, StoredVerdict(Text(row, 3), "judgements", judgement.id));
  judgement.actor = Text(row, 4);
  judgement.at = Text(row, 5);
  judgement.note = Text(row, 6);
  judgement.undone_at = Text(row, 7);
  judgement.undone_note = Text(row, 8);
  return judgement;
}

ListRow ReadRow(const pqxx::row& row) {
  return {.id = Int(row, 0), .list_id = Int(row, 1), .line = Int(row, 2), .values = Text(row, 3)};
}

// Reads every row of `rows` with `read`.
template <typename T, typename ReadFn>
Result<std::vector<T>> ReadAll(const pqxx::result& rows, ReadFn read) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    if constexpr (std::is_same_v<decltype(read(row)), T>) {
      out.push_back(read(row));
    } else {
      IZDE_ASSIGN_OR_RETURN(T value, read(row));
      out.push_back(std::move(value));
    }
  }
  return out;
}

Result<std::vector<ExternalList>> ReadLists(Txn& txn, std::string_view where, int64_t id) {
  Params params;
  if (!where.empty()) params.Int(id);
  IZDE_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Exec(txn,
           fmt::format("SELECT l.id, l.title, l.source_file, l.column_map, l.created_by, "
                       "l.created_at, (SELECT count(*) FROM list_rows r WHERE r.list_id = l.id) "
                       "FROM lists l {} ORDER BY l.id",
                       where),
           params));
  return ReadAll<ExternalList>(rows, [](const pqxx::row& row) {
    return ExternalList{.id = Int(row, 0),
                        .title = Text(row, 1),
                        .source_file = Text(row, 2),
                        .column_map = Text(row, 3),
                        .created_by = Text(row, 4),
                        .created_at = Text(row, 5),
                        .rows = Int(row, 6)};
  });
}

Result<Judgement> GetJudgementIn(Txn& txn, int64_t id) {
  IZDE_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Exec(txn, fmt::format("SELECT {} FROM judgements WHERE id = $1", kJudgementColumns),
           Params().Int(id)));
  if (rows.empty()) return NotFoundError(fmt::format("no judgement {}", id));
  return ReadJudgement(rows[0]);
}

Result<int64_t> ReturnedId(const Result<pqxx::result>& rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return InternalError("an insert returned no id");
  return Int((*rows)[0], 0);
}

}  // namespace

Result<CandidatePair> PgLinkage::GetCandidatePair(int64_t id) {
  return Read([&](Txn& txn) -> Result<CandidatePair> {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(txn, fmt::format("SELECT {} FROM candidate_pairs WHERE id = $1", kPairColumns),
             Params().Int(id)));
    if (rows.empty()) return NotFoundError(fmt::format("no candidate pair {}", id));
    return ReadPair(rows[0]);
  });
}

Result<std::vector<CandidatePair>> PgLinkage::PendingPairs(int64_t limit) {
  return Read([&](Txn& txn) -> Result<std::vector<CandidatePair>> {
    Params params;
    if (limit > 0) {
      params.Int(limit);
    } else {
      params.Null();  // LIMIT NULL: no limit
    }
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(txn,
             fmt::format(
                 "SELECT {} FROM candidate_pairs p WHERE NOT EXISTS (SELECT 1 FROM judgements j "
                 "WHERE j.person_a = p.person_a AND j.person_b = p.person_b AND "
                 "j.undone_at = '') ORDER BY score DESC, id LIMIT $1::bigint",
                 kPairColumns),
             params));
    return ReadAll<CandidatePair>(rows, ReadPair);
  });
}

Result<std::vector<Judgement>> PgLinkage::Judgements(bool include_undone) {
  return Read([&](Txn& txn) -> Result<std::vector<Judgement>> {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(txn,
             fmt::format("SELECT {} FROM judgements WHERE $1::boolean OR undone_at = '' "
                         "ORDER BY id",
                         kJudgementColumns),
             Params().Bool(include_undone)));
    return ReadAll<Judgement>(rows, ReadJudgement);
  });
}

Result<Judgement> PgLinkage::GetJudgement(int64_t id) {
  return Read([&](Txn& txn) { return GetJudgementIn(txn, id); });
}

Result<ExternalList> PgLinkage::GetList(int64_t id) {
  return Read([&](Txn& txn) -> Result<ExternalList> {
    IZDE_ASSIGN_OR_RETURN(std::vector<ExternalList> lists, ReadLists(txn, "WHERE l.id = $1", id));
    if (lists.empty()) {
      return NotFoundError(fmt::format("no list {}", FormatId(IdKind::kList, id)));
    }
    return lists.front();
  });
}

Result<std::vector<ExternalList>> PgLinkage::Lists() {
  return Read([&](Txn& txn) { return ReadLists(txn, "", 0); });
}

Result<std::vector<ListRow>> PgLinkage::ListRows(int64_t list_id) {
  return Read([&](Txn& txn) -> Result<std::vector<ListRow>> {
    IZDE_ASSIGN_OR_RETURN(pqxx::result rows, Exec(txn,
                                                  "SELECT id, list_id, line, fields FROM list_rows "
                                                  "WHERE list_id = $1 ORDER BY line, id",
                                                  Params().Int(list_id)));
    return ReadAll<ListRow>(rows, ReadRow);
  });
}

Result<ListRow> PgLinkage::GetListRow(int64_t row_id) {
  return Read([&](Txn& txn) -> Result<ListRow> {
    IZDE_ASSIGN_OR_RETURN(pqxx::result rows,
                          Exec(txn, "SELECT id, list_id, line, fields FROM list_rows WHERE id = $1",
                               Params().Int(row_id)));
    if (rows.empty()) return NotFoundError(fmt::format("no list row {}", row_id));
    return ReadRow(rows[0]);
  });
}

Result<std::vector<RowCandidate>> PgLinkage::RowCandidates(int64_t list_id) {
  return Read([&](Txn& txn) -> Result<std::vector<RowCandidate>> {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(txn,
             "SELECT c.row_id, c.rank, c.person_id, c.score, c.explanation FROM row_candidates c "
             "JOIN list_rows r ON r.id = c.row_id WHERE r.list_id = $1 "
             "ORDER BY r.line, r.id, c.rank",
             Params().Int(list_id)));
    return ReadAll<RowCandidate>(rows, [](const pqxx::row& row) {
      return RowCandidate{.row_id = Int(row, 0),
                          .rank = static_cast<int>(Int(row, 1)),
                          .person_id = Int(row, 2),
                          .score = Real(row, 3),
                          .explanation = registry::ExpandExplanation(Text(row, 4))};
    });
  });
}

Result<std::vector<RowJudgement>> PgLinkage::RowJudgements(int64_t list_id) {
  return Read([&](Txn& txn) -> Result<std::vector<RowJudgement>> {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(txn,
             "SELECT j.id, j.row_id, j.person_id, j.verdict, j.actor, j.at, j.note FROM "
             "row_judgements j JOIN list_rows r ON r.id = j.row_id WHERE r.list_id = $1 "
             "ORDER BY j.id",
             Params().Int(list_id)));
    return ReadAll<RowJudgement>(rows, [](const pqxx::row& row) -> Result<RowJudgement> {
      RowJudgement judgement{.id = Int(row, 0), .row_id = Int(row, 1), .person_id = Int(row, 2)};
      IZDE_ASSIGN_OR_RETURN(judgement.verdict,
                            StoredVerdict(Text(row, 3), "row_judgements", judgement.id));
      judgement.actor = Text(row, 4);
      judgement.at = Text(row, 5);
      judgement.note = Text(row, 6);
      return judgement;
    });
  });
}

Result<int64_t> PgLinkage::UpsertCandidatePair(const CandidatePair& pair) {
  if (pair.person_a <= 0 || pair.person_a >= pair.person_b) {
    return InvalidArgumentError(fmt::format("a pair needs two persons in order, got {} and {}",
                                            pair.person_a, pair.person_b),
                                "pair");
  }
  return Write([&](Txn& txn) {
    return ReturnedId(
        Exec(txn,
             "INSERT INTO candidate_pairs (person_a, person_b, score, explanation, created_at) "
             "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_a, person_b) DO UPDATE "
             "SET score = excluded.score, explanation = excluded.explanation RETURNING id",
             Params()
                 .Int(pair.person_a)
                 .Int(pair.person_b)
                 .Real(pair.score)
                 .Text(pair.explanation)
                 .Text(NowIso())));
  });
}

Status PgLinkage::UpsertCandidatePairs(const std::vector<CandidatePair>& pairs) {
  for (const CandidatePair& pair : pairs) {
    if (pair.person_a <= 0 || pair.person_a >= pair.person_b) {
      return InvalidArgumentError(fmt::format("a pair needs two persons in order, got {} and {}",
                                              pair.person_a, pair.person_b),
                                  "pair");
    }
  }
  const std::string now = NowIso();
  return Write([&](Txn& txn) -> Status {
    MultiRowInsert insert(
        "INSERT INTO candidate_pairs (person_a, person_b, score, explanation, created_at) VALUES ",
        5,
        " ON CONFLICT (person_a, person_b) DO UPDATE SET score = excluded.score, "
        "explanation = excluded.explanation");
    // One statement may not update a row twice: a pair given again starts a new statement.
    std::set<std::pair<int64_t, int64_t>> in_statement;
    for (const CandidatePair& pair : pairs) {
      if (insert.full() || in_statement.contains({pair.person_a, pair.person_b})) {
        IZDE_RETURN_IF_ERROR(insert.Run(txn).status());
        in_statement.clear();
      }
      in_statement.emplace(pair.person_a, pair.person_b);
      insert.AddRow()
          .Int(pair.person_a)
          .Int(pair.person_b)
          .Real(pair.score)
          .Text(pair.explanation)
          .Text(now);
    }
    return insert.Run(txn).status();
  });
}

Status PgLinkage::InsertListRows(std::span<ListRowInput> rows) {
  // One INSERT per row and per candidate, each under its savepoint, was three round trips
  // apiece.
  return Write([&](Txn& txn) -> Status {
    constexpr size_t kBatch = MultiRowInsert::kRowsPerStatement;
    for (size_t begin = 0; begin < rows.size(); begin += kBatch) {
      const size_t end = std::min(rows.size(), begin + kBatch);
      // The ids come back with each row's list and line, which tell the rows apart where they
      // are distinct (a CSV's lines are); a batch repeating one is written row by row.
      std::set<std::pair<int64_t, int64_t>> keys;
      for (size_t row_idx = begin; row_idx < end; ++row_idx) {
        keys.emplace(rows[row_idx].row.list_id, rows[row_idx].row.line);
      }
      if (keys.size() == end - begin) {
        MultiRowInsert insert("INSERT INTO list_rows (list_id, line, fields) VALUES ", 3,
                              " RETURNING id, list_id, line");
        for (size_t row_idx = begin; row_idx < end; ++row_idx) {
          insert.AddRow()
              .Int(rows[row_idx].row.list_id)
              .Int(rows[row_idx].row.line)
              .Text(rows[row_idx].row.values);
        }
        IZDE_ASSIGN_OR_RETURN(pqxx::result inserted, insert.Run(txn));
        std::map<std::pair<int64_t, int64_t>, int64_t> id_of;
        for (const auto& returned : inserted) {
          id_of[{Int(returned, 1), Int(returned, 2)}] = Int(returned, 0);
        }
        for (size_t row_idx = begin; row_idx < end; ++row_idx) {
          auto found = id_of.find({rows[row_idx].row.list_id, rows[row_idx].row.line});
          if (found == id_of.end()) {
            return InternalError(
                fmt::format("line {}: no id came back for the row", rows[row_idx].row.line));
          }
          rows[row_idx].row.id = found->second;
        }
      } else {
        for (size_t row_idx = begin; row_idx < end; ++row_idx) {
          IZDE_ASSIGN_OR_RETURN(
              rows[row_idx].row.id,
              ReturnedId(Exec(txn,
                              "INSERT INTO list_rows (list_id, line, fields) VALUES ($1, $2, $3) "
                              "RETURNING id",
                              Params()
                                  .Int(rows[row_idx].row.list_id)
                                  .Int(rows[row_idx].row.line)
                                  .Text(rows[row_idx].row.values))));
        }
      }
    }
    MultiRowInsert insert(
        "INSERT INTO row_candidates (row_id, rank, person_id, score, explanation) VALUES ", 5);
    for (ListRowInput& input : rows) {
      for (RowCandidate& candidate : input.candidates) {
        candidate.row_id = input.row.id;
        if (insert.full()) IZDE_RETURN_IF_ERROR(insert.Run(txn).status());
        insert.AddRow()
            .Int(candidate.row_id)
            .Int(candidate.rank)
            .Int(candidate.person_id)
            .Real(candidate.score)
            .Text(candidate.explanation);
      }
    }
    return insert.Run(txn).status();
  });
}

Result<int64_t> PgLinkage::InsertJudgement(const Judgement& judgement) {
  return Write([&](Txn& txn) {
    return ReturnedId(
        Exec(txn,
             "INSERT INTO judgements (person_a, person_b, verdict, actor, at, note, undone_at, "
             "undone_note) VALUES ($1, $2, $3, $4, $5, $6, '', '') RETURNING id",
             Params()
                 .Int(judgement.person_a)
                 .Int(judgement.person_b)
                 .Text(registry::VerdictName(judgement.verdict))
                 .Text(judgement.actor)
                 .Text(NowIso())
                 .Text(judgement.note)));
  });
}

Status PgLinkage::MarkJudgementUndone(int64_t id, std::string_view note) {
  return Write([&](Txn& txn) -> Status {
    IZDE_ASSIGN_OR_RETURN(Judgement judgement, GetJudgementIn(txn, id));
    if (!judgement.active()) {
      return FailedPreconditionError(
          fmt::format("judgement {} was already undone at {}", id, judgement.undone_at));
    }
    return Exec(txn, "UPDATE judgements SET undone_at = $1, undone_note = $2 WHERE id = $3",
                Params().Text(NowIso()).Text(note).Int(id))
        .status();
  });
}

Result<int64_t> PgLinkage::InsertList(const ExternalList& list) {
  return Write([&](Txn& txn) {
    return ReturnedId(
        Exec(txn,
             "INSERT INTO lists (title, source_file, column_map, created_by, created_at) "
             "VALUES ($1, $2, $3, $4, $5) RETURNING id",
             Params()
                 .Text(list.title)
                 .Text(list.source_file)
                 .Text(list.column_map)
                 .Text(list.created_by)
                 .Text(NowIso())));
  });
}

Result<int64_t> PgLinkage::InsertListRow(const ListRow& row) {
  return Write([&](Txn& txn) {
    return ReturnedId(
        Exec(txn, "INSERT INTO list_rows (list_id, line, fields) VALUES ($1, $2, $3) RETURNING id",
             Params().Int(row.list_id).Int(row.line).Text(row.values)));
  });
}

Status PgLinkage::InsertRowCandidate(const RowCandidate& candidate) {
  return Write([&](Txn& txn) {
    return Exec(txn,
                "INSERT INTO row_candidates (row_id, rank, person_id, score, explanation) "
                "VALUES ($1, $2, $3, $4, $5)",
                Params()
                    .Int(candidate.row_id)
                    .Int(candidate.rank)
                    .Int(candidate.person_id)
                    .Real(candidate.score)
                    .Text(candidate.explanation))
        .status();
  });
}

Result<int64_t> PgLinkage::InsertRowJudgement(const RowJudgement& judgement) {
  return Write([&](Txn& txn) {
    return ReturnedId(
        Exec(txn,
             "INSERT INTO row_judgements (row_id, person_id, verdict, actor, at, note) "
             "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
             Params()
                 .Int(judgement.row_id)
                 .IdOrNull(judgement.person_id)
                 .Text(registry::VerdictName(judgement.verdict))
                 .Text(judgement.actor)
                 .Text(NowIso())
                 .Text(judgement.note)));
  });
}

}  // namespace izde::store::internal
