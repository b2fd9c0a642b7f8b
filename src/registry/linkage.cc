#include "registry/linkage.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>
#include <span>
#include <utility>

#include "core/ids.h"
#include "core/round.h"
#include "core/utf8.h"
#include "match/scoring.h"
#include "registry/linkage_bulk.h"
#include "registry/registry.h"
#include "registry/store.h"

namespace izde::registry {
namespace {

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string JudgementId(int64_t id) { return fmt::format("J-{:06}", id); }

std::string PersonId(int64_t id) { return FormatId(IdKind::kPerson, id); }

// An explanation is stored as given, but must be JSON so that it can be shown and exported.
nlohmann::json ParsedOrText(const std::string& text) {
  if (text.empty()) return nlohmann::json::array();
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? nlohmann::json(text) : parsed;
}

nlohmann::json ToJson(const Judgement& judgement) {
  nlohmann::json json = {{"id", JudgementId(judgement.id)},
                         {"person_a", PersonId(judgement.person_a)},
                         {"person_b", PersonId(judgement.person_b)},
                         {"verdict", VerdictName(judgement.verdict)},
                         {"actor", judgement.actor},
                         {"at", judgement.at},
                         {"note", judgement.note}};
  if (!judgement.active()) {
    json["undone_at"] = judgement.undone_at;
    json["undone_note"] = judgement.undone_note;
  }
  return json;
}

nlohmann::json ToJson(const Cluster& cluster) {
  nlohmann::json persons = nlohmann::json::array();
  for (int64_t person : cluster.persons) persons.push_back(PersonId(person));
  nlohmann::json judgements = nlohmann::json::array();
  for (int64_t judgement : cluster.judgements) judgements.push_back(JudgementId(judgement));
  return {{"id", FormatClusterId(cluster.id)}, {"persons", persons}, {"judgements", judgements}};
}

// Union-find over person ids, for the clusters of "same" edges.
class Components {
 public:
  int64_t Find(int64_t person) {
    auto it = parent_.find(person);
    if (it == parent_.end()) return person;
    if (it->second == person) return person;
    int64_t root = Find(it->second);
    parent_[person] = root;
    return root;
  }
  void Join(int64_t a, int64_t b) {
    int64_t root_a = Find(a);
    int64_t root_b = Find(b);
    parent_.emplace(root_a, root_a);
    parent_.emplace(root_b, root_b);
    if (root_a == root_b) return;
    // The smaller id becomes the root, so a cluster's id is its smallest person.
    if (root_a < root_b) {
      parent_[root_b] = root_a;
    } else {
      parent_[root_a] = root_b;
    }
  }
  std::vector<int64_t> Members() const {
    std::vector<int64_t> members;
    for (const auto& [person, parent] : parent_) members.push_back(person);
    return members;
  }

 private:
  std::map<int64_t, int64_t> parent_;
};

std::vector<Cluster> ClustersOf(const std::vector<Judgement>& judgements) {
  Components components;
  for (const Judgement& judgement : judgements) {
    if (judgement.active() && judgement.verdict == Verdict::kSame) {
      components.Join(judgement.person_a, judgement.person_b);
    }
  }
  std::map<int64_t, Cluster> by_root;
  for (int64_t person : components.Members()) {
    int64_t root = components.Find(person);
    Cluster& cluster = by_root[root];
    cluster.id = root;
    cluster.persons.push_back(person);  // Members() is ascending
  }
  for (const Judgement& judgement : judgements) {
    if (judgement.active() && judgement.verdict == Verdict::kSame) {
      by_root[components.Find(judgement.person_a)].judgements.push_back(judgement.id);
    }
  }
  std::vector<Cluster> clusters;
  for (auto& [root, cluster] : by_root) clusters.push_back(std::move(cluster));
  return clusters;
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kSame:
      return "same";
    case Verdict::kDifferent:
      return "different";
    case Verdict::kUnsure:
      return "unsure";
  }
  return "unsure";
}

Result<Verdict> ParseVerdict(std::string_view text) {
  for (Verdict verdict : {Verdict::kSame, Verdict::kDifferent, Verdict::kUnsure}) {
    if (text == VerdictName(verdict)) return verdict;
  }
  return InvalidArgumentError(
      fmt::format("'{}' is not a verdict: use same, different or unsure", text), "verdict");
}

std::string FormatClusterId(int64_t id) { return fmt::format("C-{:06}", id); }

namespace {

constexpr std::string_view kCompactMarker = "e1:";
constexpr char kFieldSeparator = '\x1e';
constexpr char kWeightSeparator = '\x1f';
// The fields the scorer explains, by their letter in the compact form.
constexpr std::pair<char, std::string_view> kFieldLetters[] = {
    {'n', "name"}, {'b', "birth_year"}, {'h', "hometown"}, {'g', "gender"}};

// True when `text` is well-formed UTF-8 with no control character (below U+0020), so that it
// holds neither separator and the JSON writer keeps it as it is.
bool PlainUtf8(std::string_view text) {
  return IsValidUtf8(text) && std::none_of(text.begin(), text.end(), [](char byte) {
           return static_cast<unsigned char>(byte) < 0x20;
         });
}

}  // namespace

std::string StoredExplanationJson(std::span<const match::FieldWeight> fields) {
  nlohmann::json explanation = nlohmann::json::array();
  for (const match::FieldWeight& field : fields) {
    explanation.push_back(
        {{"field", field.field}, {"value", field.value}, {"weight", RoundToHundredths(field.weight)}});
  }
  return Dump(explanation);
}

std::string CompactExplanation(std::span<const match::FieldWeight> fields) {
  std::string compact(kCompactMarker);
  for (size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    const match::FieldWeight& field = fields[field_idx];
    char letter = 0;
    for (const auto& [known_letter, name] : kFieldLetters) {
      if (field.field == name) letter = known_letter;
    }
    if (letter == 0 || !PlainUtf8(field.value)) return StoredExplanationJson(fields);
    if (field_idx > 0) compact += kFieldSeparator;
    compact += letter;
    compact += field.value;
    compact += kWeightSeparator;
    // The shortest text that reads back as the same double, so that the JSON written of it
    // when expanded is the JSON written of the weight itself.
    fmt::format_to(std::back_inserter(compact), "{}", RoundToHundredths(field.weight));
  }
  return compact;
}

std::string ExpandExplanation(std::string stored) {
  if (!std::string_view(stored).starts_with(kCompactMarker)) return stored;
  nlohmann::json explanation = nlohmann::json::array();
  std::string_view rest = std::string_view(stored).substr(kCompactMarker.size());
  while (!rest.empty()) {
    const size_t end = rest.find(kFieldSeparator);
    std::string_view item = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const size_t weight_at = item.rfind(kWeightSeparator);
    std::string_view name;
    for (const auto& [letter, known_name] : kFieldLetters) {
      if (!item.empty() && item[0] == letter) name = known_name;
    }
    double weight = 0;
    const char* weight_end = item.data() + item.size();
    std::from_chars_result read{};
    if (weight_at != std::string_view::npos) {
      read = std::from_chars(item.data() + weight_at + 1, weight_end, weight);
    }
    if (name.empty() || weight_at == std::string_view::npos || read.ec != std::errc() ||
        read.ptr != weight_end) {
      // Not written by CompactExplanation: shown as it is rather than lost.
      return stored;
    }
    explanation.push_back({{"field", std::string(name)},
                           {"value", std::string(item.substr(1, weight_at - 1))},
                           {"weight", weight}});
  }
  return Dump(explanation);
}

Result<QueueSummary> Linkage::QueuePairs(std::vector<CandidatePair> pairs, const Actor& actor,
                                         std::string_view note) {
  for (CandidatePair& pair : pairs) {
    if (pair.person_a == pair.person_b) {
      return InvalidArgumentError(fmt::format("a pair of {} with itself", PersonId(pair.person_a)),
                                  "pair");
    }
    if (pair.person_a > pair.person_b) std::swap(pair.person_a, pair.person_b);
  }
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  LinkageWriter& linkage = txn->linkage_writer();
  IZDE_ASSIGN_OR_RETURN(std::vector<Judgement> judgements, linkage.Judgements(false));
  std::set<std::pair<int64_t, int64_t>> judged;
  for (const Judgement& judgement : judgements) {
    judged.emplace(judgement.person_a, judgement.person_b);
  }
  Components components;
  for (const Judgement& judgement : judgements) {
    if (judgement.verdict == Verdict::kSame) {
      components.Join(judgement.person_a, judgement.person_b);
    }
  }
  QueueSummary summary;
  // The pairs to queue, written in one call where the store has it (one prepared statement,
  // or many rows per statement): `pairs` is no longer needed, so they are moved.
  std::vector<CandidatePair> queue;
  queue.reserve(pairs.size());
  for (CandidatePair& pair : pairs) {
    if (judged.contains({pair.person_a, pair.person_b})) {
      ++summary.already_judged;
    } else if (components.Find(pair.person_a) == components.Find(pair.person_b)) {
      ++summary.same_cluster;
    } else {
      queue.push_back(std::move(pair));
      ++summary.queued;
    }
  }
  if (auto* bulk = dynamic_cast<CandidatePairsWriter*>(&linkage); bulk != nullptr) {
    IZDE_RETURN_IF_ERROR(bulk->UpsertCandidatePairs(queue));
  } else {
    for (const CandidatePair& pair : queue) {
      IZDE_RETURN_IF_ERROR(linkage.UpsertCandidatePair(pair).status());
    }
  }
  IZDE_RETURN_IF_ERROR(txn->AppendAudit({.actor = actor.name,
                                         .action = "linkage.queue",
                                         .entity = "review-queue",
                                         .after = Dump({{"queued", summary.queued},
                                                        {"already_judged", summary.already_judged},
                                                        {"same_cluster", summary.same_cluster}}),
                                         .note = std::string(note)})
                           .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

Result<std::vector<CandidatePair>> Linkage::Queue(int64_t limit) {
  return store_.linkage().PendingPairs(limit);
}

Result<Judgement> Linkage::Judge(int64_t person_a, int64_t person_b, Verdict verdict,
                                 std::string_view note, const Actor& actor) {
  if (person_a == person_b) {
    return InvalidArgumentError(
        fmt::format("{} cannot be judged against itself", PersonId(person_a)), "person");
  }
  if (person_a > person_b) std::swap(person_a, person_b);
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_RETURN_IF_ERROR(txn->GetPerson(person_a).status());
  IZDE_RETURN_IF_ERROR(txn->GetPerson(person_b).status());
  LinkageWriter& linkage = txn->linkage_writer();
  IZDE_ASSIGN_OR_RETURN(std::vector<Judgement> active, linkage.Judgements(false));
  Judgement judgement{.person_a = person_a,
                      .person_b = person_b,
                      .verdict = verdict,
                      .actor = actor.name,
                      .note = std::string(note)};
  IZDE_ASSIGN_OR_RETURN(judgement.id, linkage.InsertJudgement(judgement));
  nlohmann::json superseded = nlohmann::json::array();
  for (const Judgement& earlier : active) {
    if (earlier.person_a != person_a || earlier.person_b != person_b) continue;
    IZDE_RETURN_IF_ERROR(linkage.MarkJudgementUndone(
        earlier.id, fmt::format("superseded by {}", JudgementId(judgement.id))));
    superseded.push_back(JudgementId(earlier.id));
  }
  IZDE_ASSIGN_OR_RETURN(Judgement stored, linkage.GetJudgement(judgement.id));
  IZDE_RETURN_IF_ERROR(
      txn->AppendAudit(
             {.actor = actor.name,
              .action = "judgement.create",
              .entity = JudgementId(stored.id),
              .person = PersonId(person_a),
              .after = Dump(ToJson(stored)),
              .note = superseded.empty() ? std::string() : "supersedes " + Dump(superseded)})
          .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return stored;
}

Result<std::vector<Cluster>> Linkage::Clusters() {
  IZDE_ASSIGN_OR_RETURN(std::vector<Judgement> judgements, store_.linkage().Judgements(false));
  return ClustersOf(judgements);
}

Result<Cluster> Linkage::ClusterOf(int64_t person_id) {
  IZDE_RETURN_IF_ERROR(store_.GetPerson(person_id).status());
  IZDE_ASSIGN_OR_RETURN(std::vector<Cluster> clusters, Clusters());
  for (Cluster& cluster : clusters) {
    if (std::binary_search(cluster.persons.begin(), cluster.persons.end(), person_id)) {
      return std::move(cluster);
    }
  }
  return Cluster{.id = person_id, .persons = {person_id}, .judgements = {}};
}

Result<Cluster> Linkage::Unmerge(int64_t person_id, std::string_view note, const Actor& actor) {
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_RETURN_IF_ERROR(txn->GetPerson(person_id).status());
  LinkageWriter& linkage = txn->linkage_writer();
  IZDE_ASSIGN_OR_RETURN(std::vector<Judgement> judgements, linkage.Judgements(false));
  std::vector<Cluster> clusters = ClustersOf(judgements);
  auto found = std::find_if(clusters.begin(), clusters.end(), [&](const Cluster& cluster) {
    return std::binary_search(cluster.persons.begin(), cluster.persons.end(), person_id);
  });
  if (found == clusters.end()) {
    return FailedPreconditionError(
        fmt::format("{} is not merged with anyone: nothing to unmerge", PersonId(person_id)));
  }
  std::string undo_note = note.empty()
                              ? fmt::format("unmerged {}", FormatClusterId(found->id))
                              : fmt::format("unmerged {}: {}", FormatClusterId(found->id), note);
  for (int64_t judgement_id : found->judgements) {
    IZDE_RETURN_IF_ERROR(linkage.MarkJudgementUndone(judgement_id, undo_note));
  }
  IZDE_RETURN_IF_ERROR(txn->AppendAudit({.actor = actor.name,
                                         .action = "cluster.unmerge",
                                         .entity = FormatClusterId(found->id),
                                         .person = PersonId(found->id),
                                         .before = Dump(ToJson(*found)),
                                         .note = std::string(note)})
                           .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return std::move(*found);
}

Result<ExternalList> Linkage::CreateList(ExternalList list, std::vector<ListRowInput> rows,
                                         const Actor& actor) {
  bool given = false;
  return CreateListInChunks(
      store_, std::move(list),
      [&]() -> Result<std::span<ListRowInput>> {
        if (given) return std::span<ListRowInput>();
        given = true;
        return std::span<ListRowInput>(rows);
      },
      actor);
}

Status InsertListRows(LinkageWriter& writer, std::span<ListRowInput> rows) {
  // All rows in one call where the store has it (statements prepared once, or many rows per
  // statement).
  if (auto* bulk = dynamic_cast<ListRowsWriter*>(&writer); bulk != nullptr) {
    return bulk->InsertListRows(rows);
  }
  for (ListRowInput& input : rows) {
    IZDE_ASSIGN_OR_RETURN(input.row.id, writer.InsertListRow(input.row));
    for (RowCandidate& candidate : input.candidates) {
      candidate.row_id = input.row.id;
      Status inserted = writer.InsertRowCandidate(candidate);
      if (!inserted.ok()) {
        return inserted.WithContext(
            fmt::format("line {}, candidate {}", input.row.line, PersonId(candidate.person_id)));
      }
    }
  }
  return OkStatus();
}

Result<ExternalList> CreateListInChunks(Store& store, ExternalList list,
                                        const ListRowChunks& next_rows, const Actor& actor) {
  if (list.title.empty()) return InvalidArgumentError("a list needs a title", "title");
  list.created_by = actor.name;
  IZDE_ASSIGN_OR_RETURN(auto txn, store.Begin());
  LinkageWriter& linkage = txn->linkage_writer();
  IZDE_ASSIGN_OR_RETURN(list.id, linkage.InsertList(list));
  int64_t candidates = 0;
  while (true) {
    IZDE_ASSIGN_OR_RETURN(std::span<ListRowInput> rows, next_rows());
    if (rows.empty()) break;
    for (ListRowInput& input : rows) {
      input.row.list_id = list.id;
      int rank = 0;
      for (RowCandidate& candidate : input.candidates) {
        if (candidate.person_id <= 0) {
          return InvalidArgumentError(
              fmt::format("line {}: a candidate without a person", input.row.line), "candidate");
        }
        candidate.rank = ++rank;
        ++candidates;
      }
    }
    // The transaction is not committed on an error, so nothing is stored.
    IZDE_RETURN_IF_ERROR(InsertListRows(linkage, rows));
  }
  IZDE_ASSIGN_OR_RETURN(ExternalList stored, linkage.GetList(list.id));
  IZDE_RETURN_IF_ERROR(
      txn->AppendAudit({.actor = actor.name,
                        .action = "list.create",
                        .entity = FormatId(IdKind::kList, stored.id),
                        .after = Dump({{"id", FormatId(IdKind::kList, stored.id)},
                                       {"title", stored.title},
                                       {"source_file", stored.source_file},
                                       {"column_map", ParsedOrText(stored.column_map)},
                                       {"rows", stored.rows},
                                       {"candidates", candidates}}),
                        .note = stored.source_file})
          .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return stored;
}

Result<std::vector<RowReview>> Linkage::ListReview(int64_t list_id) {
  LinkageReader& linkage = store_.linkage();
  IZDE_RETURN_IF_ERROR(linkage.GetList(list_id).status());
  IZDE_ASSIGN_OR_RETURN(std::vector<ListRow> rows, linkage.ListRows(list_id));
  IZDE_ASSIGN_OR_RETURN(std::vector<RowCandidate> candidates, linkage.RowCandidates(list_id));
  IZDE_ASSIGN_OR_RETURN(std::vector<RowJudgement> judgements, linkage.RowJudgements(list_id));
  std::vector<RowReview> reviews;
  std::map<int64_t, size_t> index_of_row;
  for (ListRow& row : rows) {
    index_of_row[row.id] = reviews.size();
    reviews.push_back({.row = std::move(row)});
  }
  for (RowCandidate& candidate : candidates) {
    auto it = index_of_row.find(candidate.row_id);
    if (it != index_of_row.end()) reviews[it->second].candidates.push_back(std::move(candidate));
  }
  for (RowJudgement& judgement : judgements) {  // by id: the last one wins
    auto it = index_of_row.find(judgement.row_id);
    if (it == index_of_row.end()) continue;
    reviews[it->second].judged = true;
    reviews[it->second].judgement = std::move(judgement);
  }
  return reviews;
}

Result<RowJudgement> Linkage::JudgeRow(int64_t row_id, int64_t person_id, Verdict verdict,
                                       std::string_view note, const Actor& actor) {
  if (verdict == Verdict::kSame && person_id <= 0) {
    return InvalidArgumentError("\"same\" needs the person the row is", "person");
  }
  if (verdict == Verdict::kDifferent && person_id != 0) {
    return InvalidArgumentError("\"different\" (no match) names no person", "person");
  }
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  LinkageWriter& linkage = txn->linkage_writer();
  IZDE_ASSIGN_OR_RETURN(ListRow row, linkage.GetListRow(row_id));
  if (person_id > 0) IZDE_RETURN_IF_ERROR(txn->GetPerson(person_id).status());
  RowJudgement judgement{.row_id = row_id,
                         .person_id = person_id,
                         .verdict = verdict,
                         .actor = actor.name,
                         .note = std::string(note)};
  IZDE_ASSIGN_OR_RETURN(judgement.id, linkage.InsertRowJudgement(judgement));
  std::string list_id = FormatId(IdKind::kList, row.list_id);
  IZDE_RETURN_IF_ERROR(
      txn->AppendAudit({.actor = actor.name,
                        .action = "list.row.judgement",
                        .entity = list_id,
                        .person = person_id > 0 ? PersonId(person_id) : std::string(),
                        .after = Dump({{"list", list_id},
                                       {"row", row.id},
                                       {"line", row.line},
                                       {"person", person_id > 0 ? PersonId(person_id) : ""},
                                       {"verdict", VerdictName(verdict)},
                                       {"note", judgement.note}})})
          .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  IZDE_ASSIGN_OR_RETURN(std::vector<RowJudgement> all, store_.linkage().RowJudgements(row.list_id));
  for (const RowJudgement& stored : all) {
    if (stored.id == judgement.id) return stored;
  }
  return judgement;
}

}  // namespace izde::registry
