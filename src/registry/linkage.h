#ifndef IZDE_REGISTRY_LINKAGE_H_
#define IZDE_REGISTRY_LINKAGE_H_

// Record linkage on the registry side: the review queue of candidate duplicate pairs, the
// judgements people make about them, the clusters ("merges") those judgements form, and
// external lists matched against the registry.
//
// Nothing here alters a person: a judgement is an edge between two persons, kept with who made
// it and when; a merge is the set of persons joined by "same" edges; an unmerge marks those
// edges undone (they stay as history). The scores and explanations come from match/, computed
// by the caller: the registry stores them, it does not compute them.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "registry/audit.h"

namespace izde::match {
struct FieldWeight;
}  // namespace izde::match

namespace izde::registry {

class Store;
struct Actor;

enum class Verdict : uint8_t { kSame, kDifferent, kUnsure };

// "same", "different", "unsure".
std::string_view VerdictName(Verdict verdict);
// Accepts the names above. kInvalidArgument (field "verdict") otherwise.
Result<Verdict> ParseVerdict(std::string_view text);

// Two persons that may be one, as found by deduplication; person_a < person_b.
struct CandidatePair {
  int64_t id = 0;
  int64_t person_a = 0;
  int64_t person_b = 0;
  double score = 0;
  std::string explanation;  // JSON array of {field, value, weight}
  std::string created_at;   // set by the store
};

// A person's decision about two persons. Undone judgements stay, with when and why.
struct Judgement {
  int64_t id = 0;
  int64_t person_a = 0;  // person_a < person_b
  int64_t person_b = 0;
  Verdict verdict = Verdict::kUnsure;
  std::string actor;
  std::string at;  // set by the store
  std::string note;
  std::string undone_at;  // empty while the judgement holds
  std::string undone_note;

  bool active() const { return undone_at.empty(); }
};

// Persons joined by active "same" judgements. Its id is its smallest person id, shown as
// "C-000003"; a cluster of one person has no judgements.
struct Cluster {
  int64_t id = 0;
  std::vector<int64_t> persons;     // ascending
  std::vector<int64_t> judgements;  // the active "same" judgements inside it, ascending
};

// "C-000003"
std::string FormatClusterId(int64_t id);

// A candidate's explanation kept compactly: the fields' {field, value, weight} without the JSON
// around them (a list of 10,000 rows keeps 100,000 explanations, whose JSON keys and quotes
// were half their bytes, and SQLite copies each byte twice more at the checkpoint). Weights
// are rounded to 0.01, as the JSON had them. "e1:" then, per field, one letter for the field
// (n name, b birth_year, h hometown, g gender), the value, U+001F and the weight, fields
// separated by U+001E. Returns the JSON itself (StoredExplanationJson) when a field has
// another name or a value is not valid UTF-8 or holds a control character.
std::string CompactExplanation(std::span<const match::FieldWeight> fields);

// The JSON array of {field, value, weight} of an explanation as stored: the compact form
// expanded, byte for byte the JSON that StoredExplanationJson writes of the same fields;
// anything else (JSON written before, or by another writer) as it is.
std::string ExpandExplanation(std::string stored);

// The JSON array of {field, value, weight}, weights rounded to 0.01, as CandidatePair and
// RowCandidate explanations have always been written.
std::string StoredExplanationJson(std::span<const match::FieldWeight> fields);

// An external list (a roster, a leaked file) matched against the registry.
struct ExternalList {
  int64_t id = 0;
  std::string title;
  std::string source_file;  // the file name it was read from
  std::string column_map;   // JSON object: {"name": "ФИО", "birth": "Year", ...}
  std::string created_by;
  std::string created_at;  // set by the store
  int64_t rows = 0;        // filled on reads
};

// One row of a list as it came: `values` is a JSON object of header -> text.
struct ListRow {
  int64_t id = 0;
  int64_t list_id = 0;
  int64_t line = 0;  // the physical line in the source file
  std::string values;
};

// One of a row's best persons in the registry; rank 1 is the best.
struct RowCandidate {
  int64_t row_id = 0;
  int rank = 0;
  int64_t person_id = 0;
  double score = 0;
  // Read from a store: a JSON array, as in CandidatePair. Given to a store: that JSON or its
  // compact form (CompactExplanation), which the store keeps as is and reads back as the JSON.
  std::string explanation;
};

// A decision about a row: it is person_id (kSame), matches nobody in the registry
// (kDifferent, person_id 0), or nobody can tell yet (kUnsure). The latest one counts.
struct RowJudgement {
  int64_t id = 0;
  int64_t row_id = 0;
  int64_t person_id = 0;
  Verdict verdict = Verdict::kUnsure;
  std::string actor;
  std::string at;  // set by the store
  std::string note;
};

// Reads of linkage data; see StoreReader::linkage().
class LinkageReader {
 public:
  virtual ~LinkageReader() = default;

  // kNotFound when absent.
  virtual Result<CandidatePair> GetCandidatePair(int64_t id) = 0;
  // Queued pairs without an active judgement, best score first, then by id; up to `limit`
  // (all when limit <= 0).
  virtual Result<std::vector<CandidatePair>> PendingPairs(int64_t limit) = 0;
  // Ordered by id; undone ones too when `include_undone`.
  virtual Result<std::vector<Judgement>> Judgements(bool include_undone) = 0;
  virtual Result<Judgement> GetJudgement(int64_t id) = 0;

  virtual Result<ExternalList> GetList(int64_t id) = 0;
  // Ordered by id.
  virtual Result<std::vector<ExternalList>> Lists() = 0;
  // Ordered by line.
  virtual Result<std::vector<ListRow>> ListRows(int64_t list_id) = 0;
  virtual Result<ListRow> GetListRow(int64_t row_id) = 0;
  // Ordered by row, then rank.
  virtual Result<std::vector<RowCandidate>> RowCandidates(int64_t list_id) = 0;
  // Ordered by id (so the last one of a row is the one that counts).
  virtual Result<std::vector<RowJudgement>> RowJudgements(int64_t list_id) = 0;
};

// Writes of linkage data, inside a StoreTransaction; see StoreTransaction::linkage_writer().
// Ids are never reused. Rows referring to a person go when the person is deleted.
class LinkageWriter : public LinkageReader {
 public:
  // Queues a pair, or replaces the score and explanation of the queued pair with the same
  // persons; returns its id. kInvalidArgument unless 0 < person_a < person_b.
  virtual Result<int64_t> UpsertCandidatePair(const CandidatePair& pair) = 0;
  virtual Result<int64_t> InsertJudgement(const Judgement& judgement) = 0;
  // Stamps undone_at. kNotFound when absent, kFailedPrecondition when already undone.
  virtual Status MarkJudgementUndone(int64_t id, std::string_view note) = 0;

  virtual Result<int64_t> InsertList(const ExternalList& list) = 0;
  virtual Result<int64_t> InsertListRow(const ListRow& row) = 0;
  virtual Status InsertRowCandidate(const RowCandidate& candidate) = 0;
  virtual Result<int64_t> InsertRowJudgement(const RowJudgement& judgement) = 0;
};

struct QueueSummary {
  int64_t queued = 0;          // new or updated pairs in the queue
  int64_t already_judged = 0;  // left out: the pair has an active judgement
  int64_t same_cluster = 0;    // left out: already merged through other judgements
};

// A row of a list to store, with its best candidates (rank and row_id are filled in).
struct ListRowInput {
  ListRow row;
  std::vector<RowCandidate> candidates;
};

// A list row awaiting review: the row, its candidates, its latest judgement if any.
struct RowReview {
  ListRow row;
  std::vector<RowCandidate> candidates;
  bool judged = false;
  RowJudgement judgement;
};

// The use cases of linkage. Each write is one store transaction with its audit entry.
class Linkage {
 public:
  explicit Linkage(Store& store) : store_(store) {}

  // Puts pairs into the review queue, leaving out those with an active judgement and those
  // whose persons are already in one cluster. One audit entry ("linkage.queue") for the batch.
  // kInvalidArgument when a pair has person_a == person_b; pairs are ordered (a < b) here.
  Result<QueueSummary> QueuePairs(std::vector<CandidatePair> pairs, const Actor& actor,
                                  std::string_view note = "");
  Result<std::vector<CandidatePair>> Queue(int64_t limit);

  // Records a judgement about two persons (in either order). An earlier active judgement of
  // the same pair is marked undone ("superseded by J-…"). kNotFound when a person does not
  // exist, kInvalidArgument when a == b.
  Result<Judgement> Judge(int64_t person_a, int64_t person_b, Verdict verdict,
                          std::string_view note, const Actor& actor);

  // Clusters of two or more persons, by id.
  Result<std::vector<Cluster>> Clusters();
  // The cluster holding `person_id` (a cluster of one when it was never merged).
  Result<Cluster> ClusterOf(int64_t person_id);
  // Explodes the cluster holding `person_id` (its id is one of its persons): every active
  // "same" judgement inside it is marked undone with `note`. Returns the cluster as it was.
  // kFailedPrecondition when the person is in no cluster.
  Result<Cluster> Unmerge(int64_t person_id, std::string_view note, const Actor& actor);

  // Stores a list, its rows and their candidates in one transaction; returns the list.
  // kInvalidArgument when the title is empty or a candidate names no person.
  Result<ExternalList> CreateList(ExternalList list, std::vector<ListRowInput> rows,
                                  const Actor& actor);
  // The rows of a list with their candidates and latest judgements, in line order.
  Result<std::vector<RowReview>> ListReview(int64_t list_id);
  // Records that a row is `person_id` (kSame), nobody (kDifferent; person_id must be 0), or
  // unsure. kNotFound for an unknown row or person.
  Result<RowJudgement> JudgeRow(int64_t row_id, int64_t person_id, Verdict verdict,
                                std::string_view note, const Actor& actor);

 private:
  Store& store_;
};

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_LINKAGE_H_
