// Duplicates (the review queue), judgements, clusters and external lists: a thin layer over
// registry::Linkage. Lists are read and matched by io/list_match.h, the code `izde match`
// runs, against the server's own name index (the catalog).
//
// A list is matched as a job (docs/server.md): POST /api/lists checks the CSV, stores the list
// and its rows in one transaction whose "list.create" audit entry says "status":"queued", and
// answers 202. One worker thread matches queued lists one at a time and stores all of a list's
// candidates in one transaction with a "list.match" audit entry ("done"); a job that fails or
// is cut short by the server stopping gets a "list.match" entry "failed" and no candidates.
// The status a client reads comes from the worker while it knows the list, else from those
// audit entries, so a list whose server died mid-job reads "failed", never half done.
#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>

#include "auth/redaction.h"
#include "http/decode.h"
#include "http/routes.h"
#include "http/views.h"
#include "io/list_match.h"
#include "registry/linkage.h"
#include "registry/linkage_bulk.h"

namespace izde::http {
namespace {

using nlohmann::json;

json ParsedOr(const std::string& text, json fallback) {
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? fallback : parsed;
}

Status CheckParams(const Call& call, const std::vector<std::string>& known) {
  for (const auto& [key, value] : call.req.params) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return InvalidArgumentError("unknown query parameter", key);
    }
    if (!IsValidUtf8(value)) return InvalidArgumentError("not valid UTF-8", key);
  }
  return OkStatus();
}

// A JSON body that may be absent (routes whose every field is optional).
Result<json> OptionalBody(const Call& call, const RouteContext& context) {
  if (call.req.body.empty()) return json::object();
  return JsonBody(call, context.options.max_body_bytes);
}

Result<int64_t> IdMember(const json& body, const char* key, IdKind kind) {
  if (!body.contains(key) || body[key].is_null()) return InvalidArgumentError("required", key);
  if (!body[key].is_string()) return InvalidArgumentError("expected a string id", key);
  Result<int64_t> id = ParseId(kind, body[key].get<std::string>());
  if (!id.ok()) return InvalidArgumentError(id.status().message(), key);
  return id;
}

Result<registry::Verdict> VerdictMember(const json& body) {
  if (!body.contains("verdict")) return InvalidArgumentError("required", "verdict");
  if (!body["verdict"].is_string()) {
    return InvalidArgumentError("expected same, different or unsure", "verdict");
  }
  Result<registry::Verdict> verdict = registry::ParseVerdict(body["verdict"].get<std::string>());
  if (!verdict.ok()) return InvalidArgumentError(verdict.status().message(), "verdict");
  return verdict;
}

Result<std::string> NoteMember(const json& body) {
  IZDE_ASSIGN_OR_RETURN(std::optional<std::string> note, OptionalString(body, "note"));
  return note.value_or("");
}

json JudgementJson(const registry::Judgement& judgement) {
  json out = {{"id", judgement.id},
              {"person_a", FormatId(IdKind::kPerson, judgement.person_a)},
              {"person_b", FormatId(IdKind::kPerson, judgement.person_b)},
              {"verdict", registry::VerdictName(judgement.verdict)},
              {"actor", judgement.actor},
              {"at", judgement.at},
              {"note", judgement.note}};
  if (!judgement.active()) {
    out["undone_at"] = judgement.undone_at;
    out["undone_note"] = judgement.undone_note;
  }
  return out;
}

json RowJudgementJson(const registry::RowJudgement& judgement) {
  return {
      {"id", judgement.id},
      {"row", judgement.row_id},
      {"person", judgement.person_id == 0 ? json(nullptr)
                                          : json(FormatId(IdKind::kPerson, judgement.person_id))},
      {"verdict", registry::VerdictName(judgement.verdict)},
      {"actor", judgement.actor},
      {"at", judgement.at},
      {"note", judgement.note}};
}

// The cluster with only the persons the role may see; null when fewer than two are left, so
// that a merge never reveals a withheld person.
Result<json> ClusterJson(const registry::Cluster& cluster, auth::Redactor& redactor) {
  json persons = json::array();
  for (int64_t person_id : cluster.persons) {
    IZDE_ASSIGN_OR_RETURN(bool visible, redactor.MaySeePerson(person_id));
    if (visible) persons.push_back(FormatId(IdKind::kPerson, person_id));
  }
  if (persons.size() < cluster.persons.size() && persons.size() < 2) return json(nullptr);
  return json{{"id", registry::FormatClusterId(cluster.id)},
              {"persons", persons},
              {"judgements", cluster.judgements}};
}

json ListJson(const registry::ExternalList& list) {
  return {{"id", FormatId(IdKind::kList, list.id)},
          {"title", list.title},
          {"source_file", list.source_file},
          {"column_map", ParsedOr(list.column_map, json::object())},
          {"created_by", list.created_by},
          {"created_at", list.created_at},
          {"rows", list.rows}};
}

Result<int64_t> ListParam(const Call& call) {
  Result<int64_t> id = ParseId(IdKind::kList, call.Param(1));
  if (!id.ok()) return InvalidArgumentError(id.status().message(), "id");
  return id;
}

// "C-000003" (a cluster is named by its smallest person), or any of its persons.
Result<int64_t> ClusterMember(std::string_view text) {
  if (text.size() > 2 && (text[0] == 'C' || text[0] == 'c') && text[1] == '-')
    text.remove_prefix(2);
  Result<int64_t> id = ParseId(IdKind::kPerson, text);
  if (!id.ok()) return InvalidArgumentError("not a cluster or person id", "id");
  return id;
}

// Where a list's matching stands.
struct ListJobState {
  std::string status = "done";  // queued | matching | done | failed
  int64_t rows_done = 0;
  int64_t rows = 0;
  int64_t rows_with_candidates = 0;
  std::string error;
};

// One list to match: its parsed rows and the ids they were stored under, in the same order.
struct ListJob {
  int64_t list_id = 0;
  std::string actor;
  std::vector<io::ParsedListRow> rows;
  std::vector<int64_t> row_ids;
  io::ListMatchOptions options;
};

// The background matcher of lists: one thread, a bounded queue (see the top of this file).
class ListJobs : public RouteWorker {
 public:
  static constexpr size_t kMaxWaiting = 8;

  explicit ListJobs(RouteContext context) : context_(context) {}
  ~ListJobs() override { Stop(); }

  // kResourceExhausted when kMaxWaiting lists wait already.
  Status CheckRoom() const {
    std::lock_guard lock(mu_);
    if (stopping_) return UnavailableError("the server is stopping");
    if (queue_.size() >= kMaxWaiting) {
      return Status(StatusCode::kResourceExhausted,
                    fmt::format("{} lists are waiting to be matched; send this one again later",
                                queue_.size()));
    }
    return OkStatus();
  }

  void Enqueue(ListJob job) {
    std::unique_lock lock(mu_);
    if (stopping_) {
      lock.unlock();
      Fail(job, "the server stopped before the list was matched");
      return;
    }
    ListJobState& state = states_[job.list_id];
    state.status = "queued";
    state.rows = static_cast<int64_t>(job.rows.size());
    queue_.push_back(std::move(job));
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
    wake_.notify_one();
  }

  // The state of a list this worker has seen since the server started.
  std::optional<ListJobState> Known(int64_t list_id) const {
    std::lock_guard lock(mu_);
    auto found = states_.find(list_id);
    if (found == states_.end()) return std::nullopt;
    return found->second;
  }

  // The state of any list: the worker's, else what the audit log says.
  Result<ListJobState> State(const registry::ExternalList& list) {
    if (std::optional<ListJobState> known = Known(list.id)) return *known;
    ListJobState state;
    state.rows = list.rows;
    state.rows_done = list.rows;
    IZDE_ASSIGN_OR_RETURN(std::vector<registry::AuditEntry> history,
                          context_.registry.History(FormatId(IdKind::kList, list.id)));
    bool queued = false;
    for (const registry::AuditEntry& entry : history) {
      json after = ParsedOr(entry.after, json::object());
      if (!after.is_object()) continue;
      if (entry.action == "list.create") {
        queued = after.value("status", "") == "queued";
      } else if (entry.action == "list.match") {
        queued = false;
        state.status = after.value("status", "failed");
        state.error = after.value("error", "");
        state.rows_with_candidates = after.value("rows_with_candidates", int64_t{0});
      }
    }
    if (queued) {
      // Stored for matching by a server that stopped before it finished or said so.
      state.status = "failed";
      state.error = "the server stopped before the list was matched";
    }
    if (state.status != "done") state.rows_done = 0;
    return state;
  }

  // Stops taking jobs; the job being matched stops at its next row. Every job not finished is
  // recorded as failed. Waits for the worker thread.
  void Stop() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      wake_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
    std::deque<ListJob> left;
    {
      std::lock_guard lock(mu_);
      left.swap(queue_);
    }
    for (const ListJob& job : left) Fail(job, "the server stopped before the list was matched");
  }

 private:
  void Loop() {
    for (;;) {
      ListJob job;
      {
        std::unique_lock lock(mu_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;  // Stop() fails what is left
        job = std::move(queue_.front());
        queue_.pop_front();
        states_[job.list_id].status = "matching";
      }
      Status done = Match(job);
      if (!done.ok()) Fail(job, done.message());
    }
  }

  Status Match(ListJob& job) {
    const Catalog& catalog = context_.catalog;
    const io::CandidateFinder find = [&catalog](const match::Query& query, int limit) {
      return catalog.Find(query, limit);
    };
    std::vector<registry::ListRowInput> matched;
    matched.reserve(job.rows.size());
    int64_t with_candidates = 0;
    for (size_t row_idx = 0; row_idx < job.rows.size(); ++row_idx) {
      {
        std::lock_guard lock(mu_);
        if (stopping_) return UnavailableError("the server stopped while the list was matched");
      }
      io::MatchedListRow row = io::MatchListRow(std::move(job.rows[row_idx]), find, job.options);
      if (!row.input.candidates.empty()) ++with_candidates;
      matched.push_back(std::move(row.input));
      std::lock_guard lock(mu_);
      states_[job.list_id].rows_done = static_cast<int64_t>(row_idx) + 1;
    }
    // All candidates of the list in one transaction: a reader sees none or all of them.
    IZDE_ASSIGN_OR_RETURN(auto txn, context_.registry.store().Begin());
    registry::LinkageWriter& writer = txn->linkage_writer();
    int64_t candidates = 0;
    for (size_t row_idx = 0; row_idx < matched.size(); ++row_idx) {
      int rank = 0;
      for (registry::RowCandidate& candidate : matched[row_idx].candidates) {
        candidate.row_id = job.row_ids[row_idx];
        candidate.rank = ++rank;
        IZDE_RETURN_IF_ERROR(writer.InsertRowCandidate(candidate));
        ++candidates;
      }
    }
    IZDE_RETURN_IF_ERROR(txn->AppendAudit({.actor = job.actor,
                                           .action = "list.match",
                                           .entity = FormatId(IdKind::kList, job.list_id),
                                           .after = json{{"status", "done"},
                                                         {"rows", matched.size()},
                                                         {"rows_with_candidates", with_candidates},
                                                         {"candidates", candidates}}
                                                        .dump()})
                             .status());
    IZDE_RETURN_IF_ERROR(txn->Commit());
    std::lock_guard lock(mu_);
    ListJobState& state = states_[job.list_id];
    state.status = "done";
    state.rows_with_candidates = with_candidates;
    return OkStatus();
  }

  // Records the failure in memory and, best effort, in the audit log (which a restarted server
  // reads); the list keeps its rows and no candidates.
  void Fail(const ListJob& job, const std::string& error) {
    {
      std::lock_guard lock(mu_);
      ListJobState& state = states_[job.list_id];
      state.status = "failed";
      state.error = error;
      state.rows_done = 0;
    }
    Result<std::unique_ptr<registry::StoreTransaction>> txn = context_.registry.store().Begin();
    if (!txn.ok()) return;
    Status logged = (*txn)
                        ->AppendAudit({.actor = job.actor,
                                       .action = "list.match",
                                       .entity = FormatId(IdKind::kList, job.list_id),
                                       .after = json{{"status", "failed"}, {"error", error}}.dump(
                                           -1, ' ', false, json::error_handler_t::replace)})
                        .status();
    if (logged.ok()) (*txn)->Commit().IgnoreError();
  }

  RouteContext context_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<ListJob> queue_;               // GUARDED_BY(mu_)
  std::map<int64_t, ListJobState> states_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                   // GUARDED_BY(mu_)
  std::thread thread_;
};

json ListStateJson(const registry::ExternalList& list, const ListJobState& state) {
  json out = ListJson(list);
  out["status"] = state.status;
  out["rows_done"] = state.rows_done;
  out["rows_with_candidates"] = state.rows_with_candidates;
  if (!state.error.empty()) out["error"] = state.error;
  return out;
}

// kFailedPrecondition unless the list's matching is done: its rows are not shown before.
Status CheckMatched(ListJobs& jobs, const registry::ExternalList& list) {
  IZDE_ASSIGN_OR_RETURN(ListJobState state, jobs.State(list));
  if (state.status == "done") return OkStatus();
  return FailedPreconditionError(fmt::format("{} is not matched: {}{}",
                                             FormatId(IdKind::kList, list.id), state.status,
                                             state.error.empty() ? "" : " (" + state.error + ")"));
}

// The person as GET /api/persons/{id} shows it to the role; null when withheld.
Result<json> PersonView(RouteContext& context, int64_t person_id, auth::Role role) {
  IZDE_ASSIGN_OR_RETURN(registry::PersonRecord record, context.registry.GetPersonRecord(person_id));
  if (!PersonVisible(record.person, role, context.registry.store())) return json(nullptr);
  return PersonJson(record, role, context.registry.store());
}

// The column map of POST /api/lists: {"name": "COL" or ["COL", ...], "birth": "COL", ...},
// the keys of `izde match --map`.
Result<std::vector<io::ColumnMapping>> ColumnMapOf(const json& map) {
  if (!map.is_object()) {
    return InvalidArgumentError("expected an object: {\"name\": \"COLUMN\", ...}", "map");
  }
  std::vector<io::ColumnMapping> mappings;
  for (const auto& [field, columns] : map.items()) {
    std::vector<json> items =
        columns.is_array() ? columns.get<std::vector<json>>() : std::vector<json>{columns};
    for (const json& column : items) {
      if (!column.is_string()) {
        return InvalidArgumentError(fmt::format("{}: expected a column name", field), "map");
      }
      mappings.push_back({field, column.get<std::string>()});
    }
  }
  return mappings;
}

// --- handlers ----------------------------------------------------------------------------

Result<json> ListDuplicates(RouteContext& context, Call& call) {
  IZDE_RETURN_IF_ERROR(CheckParams(call, {"limit", "after"}));
  IZDE_ASSIGN_OR_RETURN(int64_t limit,
                        IntParam(call.req.get_param_value("limit"), "limit", 1, 500, 50));
  // The cursor is the last pair shown: the queue is ordered by score, best first, then by id,
  // so the page goes on after that pair's place even when pairs before it were judged since.
  std::optional<std::pair<double, int64_t>> after;
  if (!call.req.get_param_value("after").empty()) {
    IZDE_ASSIGN_OR_RETURN(int64_t after_id,
                          IntParam(call.req.get_param_value("after"), "after", 1, INT64_MAX, 0));
    Result<registry::CandidatePair> cursor =
        context.registry.store().linkage().GetCandidatePair(after_id);
    if (!cursor.ok()) return InvalidArgumentError("not a pair of the queue", "after");
    after = std::make_pair(cursor->score, cursor->id);
  }
  registry::Linkage linkage(context.registry.store());
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::CandidatePair> queue, linkage.Queue(0));
  auth::Redactor redactor(call.role, context.registry.store());
  json pairs = json::array();
  int64_t total = 0;
  int64_t last_shown = 0;
  bool more = false;
  for (const registry::CandidatePair& pair : queue) {
    // A pair with a person the role may not see is left out, count included.
    IZDE_ASSIGN_OR_RETURN(bool a_visible, redactor.MaySeePerson(pair.person_a));
    IZDE_ASSIGN_OR_RETURN(bool b_visible, redactor.MaySeePerson(pair.person_b));
    if (!a_visible || !b_visible) continue;
    ++total;
    if (after &&
        (pair.score > after->first || (pair.score == after->first && pair.id <= after->second))) {
      continue;
    }
    if (static_cast<int64_t>(pairs.size()) >= limit) {
      more = true;
      continue;
    }
    IZDE_ASSIGN_OR_RETURN(json a, PersonView(context, pair.person_a, call.role));
    IZDE_ASSIGN_OR_RETURN(json b, PersonView(context, pair.person_b, call.role));
    pairs.push_back({{"id", pair.id},
                     {"score", pair.score},
                     {"explanation", ParsedOr(pair.explanation, json::array())},
                     {"a", a},
                     {"b", b}});
    last_shown = pair.id;
  }
  return json{{"pairs", pairs},
              {"total", total},
              {"limit", limit},
              {"next", more ? json(last_shown) : json(nullptr)}};
}

Result<json> CreateJudgement(RouteContext& context, Call& call) {
  IZDE_ASSIGN_OR_RETURN(json body, JsonBody(call, context.options.max_body_bytes));
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, {"person_a", "person_b", "verdict", "note"}));
  IZDE_ASSIGN_OR_RETURN(int64_t a, IdMember(body, "person_a", IdKind::kPerson));
  IZDE_ASSIGN_OR_RETURN(int64_t b, IdMember(body, "person_b", IdKind::kPerson));
  IZDE_ASSIGN_OR_RETURN(registry::Verdict verdict, VerdictMember(body));
  IZDE_ASSIGN_OR_RETURN(std::string note, NoteMember(body));
  if (a == b) return InvalidArgumentError("a person is always the same as itself", "person_b");
  registry::Linkage linkage(context.registry.store());
  IZDE_ASSIGN_OR_RETURN(registry::Judgement judgement,
                        linkage.Judge(a, b, verdict, note, {call.actor()}));
  call.status = 201;
  return json{{"judgement", JudgementJson(judgement)}};
}

Result<json> ListClusters(RouteContext& context, Call& call) {
  IZDE_RETURN_IF_ERROR(CheckParams(call, {}));
  registry::Linkage linkage(context.registry.store());
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::Cluster> all, linkage.Clusters());
  auth::Redactor redactor(call.role, context.registry.store());
  json clusters = json::array();
  for (const registry::Cluster& cluster : all) {
    IZDE_ASSIGN_OR_RETURN(json shown, ClusterJson(cluster, redactor));
    if (!shown.is_null()) clusters.push_back(std::move(shown));
  }
  return json{{"clusters", clusters}};
}

Result<json> PersonCluster(RouteContext& context, Call& call) {
  Result<int64_t> id = ParseId(IdKind::kPerson, call.Param(1));
  if (!id.ok()) return InvalidArgumentError(id.status().message(), "id");
  auth::Redactor redactor(call.role, context.registry.store());
  IZDE_ASSIGN_OR_RETURN(bool visible, redactor.MaySeePerson(*id));
  if (!visible) return NotFoundError(fmt::format("no person {}", FormatId(IdKind::kPerson, *id)));
  registry::Linkage linkage(context.registry.store());
  IZDE_ASSIGN_OR_RETURN(registry::Cluster cluster, linkage.ClusterOf(*id));
  IZDE_ASSIGN_OR_RETURN(json shown, ClusterJson(cluster, redactor));
  if (shown.is_null()) {
    shown = {{"id", registry::FormatClusterId(*id)},
             {"persons", json::array({FormatId(IdKind::kPerson, *id)})},
             {"judgements", json::array()}};
  }
  return json{{"cluster", shown}};
}

Result<json> UnmergeCluster(RouteContext& context, Call& call) {
  IZDE_ASSIGN_OR_RETURN(int64_t member, ClusterMember(call.Param(1)));
  IZDE_ASSIGN_OR_RETURN(json body, OptionalBody(call, context));
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, {"note"}));
  IZDE_ASSIGN_OR_RETURN(std::string note, NoteMember(body));
  registry::Linkage linkage(context.registry.store());
  IZDE_ASSIGN_OR_RETURN(registry::Cluster cluster, linkage.Unmerge(member, note, {call.actor()}));
  json persons = json::array();
  for (int64_t person_id : cluster.persons) persons.push_back(FormatId(IdKind::kPerson, person_id));
  // Reviewers see every person: the cluster as it was, whole.
  return json{{"cluster",
               {{"id", registry::FormatClusterId(cluster.id)},
                {"persons", persons},
                {"judgements", cluster.judgements}}}};
}

Result<json> ListLists(RouteContext& context, ListJobs& jobs, Call& call) {
  IZDE_RETURN_IF_ERROR(CheckParams(call, {}));
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::ExternalList> all,
                        context.registry.store().linkage().Lists());
  json lists = json::array();
  for (const registry::ExternalList& list : all) {
    IZDE_ASSIGN_OR_RETURN(ListJobState state, jobs.State(list));
    lists.push_back(ListStateJson(list, state));
  }
  return json{{"lists", lists}};
}

Result<json> CreateList(RouteContext& context, ListJobs& jobs, Call& call) {
  IZDE_ASSIGN_OR_RETURN(json body, JsonBody(call, context.options.max_body_bytes));
  IZDE_RETURN_IF_ERROR(
      CheckKnownFields(body, {"title", "file_name", "csv", "map", "limit", "threshold"}));
  IZDE_ASSIGN_OR_RETURN(std::optional<std::string> title, OptionalString(body, "title"));
  IZDE_ASSIGN_OR_RETURN(std::optional<std::string> file_name, OptionalString(body, "file_name"));
  IZDE_ASSIGN_OR_RETURN(std::optional<std::string> csv, OptionalString(body, "csv"));
  if (!title || title->empty()) return InvalidArgumentError("give the list a title", "title");
  if (!csv || csv->empty()) return InvalidArgumentError("required: the CSV text", "csv");
  if (!body.contains("map")) return InvalidArgumentError("required", "map");
  IZDE_ASSIGN_OR_RETURN(std::vector<io::ColumnMapping> mappings, ColumnMapOf(body["map"]));
  // The results CSV is written later, from what is stored (GET .../results.csv).
  io::ListMatchOptions options{.csv_columns = false};
  if (body.contains("limit")) {
    if (!body["limit"].is_number_integer() || body["limit"].get<int64_t>() < 1 ||
        body["limit"].get<int64_t>() > 100) {
      return InvalidArgumentError("expected an integer from 1 to 100", "limit");
    }
    options.limit = body["limit"].get<int>();
  }
  if (body.contains("threshold")) {
    if (!body["threshold"].is_number())
      return InvalidArgumentError("expected a number", "threshold");
    options.threshold = body["threshold"].get<double>();
  }
  // Only the last part of a path: the folders a volunteer keeps files in say nothing useful.
  std::string source = std::filesystem::path(file_name.value_or("")).filename().string();
  if (source.empty()) source = "upload.csv";

  std::istringstream in(*csv);
  Result<io::ParsedList> parsed = io::ReadListCsv(in, mappings, source, context.registry.places());
  if (!parsed.ok()) {
    // The CSV came as the member "csv", not as a file.
    const std::string& field = parsed.status().field();
    return Status(parsed.status().code(), parsed.status().message(),
                  field == "file" ? "csv" : field);
  }
  IZDE_RETURN_IF_ERROR(jobs.CheckRoom());
  // The list and its rows now, in one transaction; the candidates come from the job.
  ListJob job{.actor = call.actor(), .rows = std::move(parsed->rows), .options = options};
  registry::ExternalList list{
      .title = *title,
      .source_file = source,
      .column_map = parsed->column_map.dump(-1, ' ', false, json::error_handler_t::replace),
      .created_by = call.actor()};
  IZDE_ASSIGN_OR_RETURN(auto txn, context.registry.store().Begin());
  registry::LinkageWriter& writer = txn->linkage_writer();
  IZDE_ASSIGN_OR_RETURN(list.id, writer.InsertList(list));
  job.list_id = list.id;
  // The rows as `izde match` stores them (in one call where the store has it).
  std::vector<registry::ListRowInput> rows;
  rows.reserve(job.rows.size());
  for (io::ParsedListRow& row : job.rows) {
    rows.push_back(
        {.row = {.list_id = list.id, .line = row.line, .values = std::move(row.values)}});
  }
  IZDE_RETURN_IF_ERROR(registry::InsertListRows(writer, rows));
  job.row_ids.reserve(rows.size());
  for (const registry::ListRowInput& input : rows) job.row_ids.push_back(input.row.id);
  IZDE_ASSIGN_OR_RETURN(registry::ExternalList stored, writer.GetList(list.id));
  IZDE_RETURN_IF_ERROR(
      txn->AppendAudit({.actor = call.actor(),
                        .action = "list.create",
                        .entity = FormatId(IdKind::kList, stored.id),
                        .after = json{{"id", FormatId(IdKind::kList, stored.id)},
                                      {"title", stored.title},
                                      {"source_file", stored.source_file},
                                      {"column_map", parsed->column_map},
                                      {"rows", stored.rows},
                                      {"status", "queued"}}
                                     .dump(-1, ' ', false, json::error_handler_t::replace),
                        .note = stored.source_file})
          .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  jobs.Enqueue(std::move(job));
  IZDE_ASSIGN_OR_RETURN(ListJobState state, jobs.State(stored));
  call.status = 202;
  return json{{"list", ListStateJson(stored, state)},
              {"rows", stored.rows},
              {"unknown_places", parsed->unknown_places}};
}

Result<json> GetList(RouteContext& context, ListJobs& jobs, Call& call) {
  IZDE_ASSIGN_OR_RETURN(int64_t id, ListParam(call));
  IZDE_ASSIGN_OR_RETURN(registry::ExternalList list,
                        context.registry.store().linkage().GetList(id));
  IZDE_ASSIGN_OR_RETURN(ListJobState state, jobs.State(list));
  return json{{"list", ListStateJson(list, state)},
              {"status", state.status},
              {"rows_done", state.rows_done},
              {"rows", list.rows}};
}

Result<json> ListRows(RouteContext& context, ListJobs& jobs, Call& call) {
  IZDE_RETURN_IF_ERROR(CheckParams(call, {"limit", "after"}));
  IZDE_ASSIGN_OR_RETURN(int64_t id, ListParam(call));
  IZDE_ASSIGN_OR_RETURN(int64_t limit,
                        IntParam(call.req.get_param_value("limit"), "limit", 1, 500, 100));
  // The cursor is the id of the last row shown; rows come in line order, which is id order.
  IZDE_ASSIGN_OR_RETURN(int64_t after,
                        IntParam(call.req.get_param_value("after"), "after", 0, INT64_MAX, 0));
  IZDE_ASSIGN_OR_RETURN(registry::ExternalList list,
                        context.registry.store().linkage().GetList(id));
  IZDE_RETURN_IF_ERROR(CheckMatched(jobs, list));
  registry::Linkage linkage(context.registry.store());
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::RowReview> reviews, linkage.ListReview(id));
  json rows = json::array();
  int64_t last_shown = 0;
  bool more = false;
  for (const registry::RowReview& review : reviews) {
    if (review.row.id <= after) continue;
    if (static_cast<int64_t>(rows.size()) >= limit) {
      more = true;
      break;
    }
    last_shown = review.row.id;
    json candidates = json::array();
    for (const registry::RowCandidate& candidate : review.candidates) {
      IZDE_ASSIGN_OR_RETURN(json person, PersonView(context, candidate.person_id, call.role));
      if (person.is_null()) continue;  // withheld from this role
      candidates.push_back({{"rank", candidate.rank},
                            {"person", person},
                            {"score", candidate.score},
                            {"explanation", ParsedOr(candidate.explanation, json::array())}});
    }
    rows.push_back(
        {{"id", review.row.id},
         {"line", review.row.line},
         {"values", ParsedOr(review.row.values, json::object())},
         {"candidates", candidates},
         {"judgement", review.judged ? RowJudgementJson(review.judgement) : json(nullptr)}});
  }
  return json{{"rows", rows},
              {"total", static_cast<int64_t>(reviews.size())},
              {"limit", limit},
              {"next", more ? json(last_shown) : json(nullptr)}};
}

Result<json> JudgeRow(RouteContext& context, Call& call) {
  IZDE_ASSIGN_OR_RETURN(int64_t list_id, ListParam(call));
  IZDE_ASSIGN_OR_RETURN(int64_t row_id, IntParam(call.Param(2), "row", 1, INT64_MAX, 0));
  IZDE_ASSIGN_OR_RETURN(json body, JsonBody(call, context.options.max_body_bytes));
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, {"person", "verdict", "note"}));
  IZDE_ASSIGN_OR_RETURN(registry::Verdict verdict, VerdictMember(body));
  IZDE_ASSIGN_OR_RETURN(std::string note, NoteMember(body));
  int64_t person_id = 0;
  if (body.contains("person") && !body["person"].is_null()) {
    IZDE_ASSIGN_OR_RETURN(person_id, IdMember(body, "person", IdKind::kPerson));
  }
  if (verdict == registry::Verdict::kSame && person_id == 0) {
    return InvalidArgumentError("\"same\" needs the person the row is", "person");
  }
  if (verdict == registry::Verdict::kDifferent && person_id != 0) {
    return InvalidArgumentError(
        "\"different\" means the row is nobody in the registry: send "
        "person null",
        "person");
  }
  IZDE_ASSIGN_OR_RETURN(registry::ListRow row,
                        context.registry.store().linkage().GetListRow(row_id));
  if (row.list_id != list_id) {
    return NotFoundError(fmt::format("{} has no row {}", FormatId(IdKind::kList, list_id), row_id));
  }
  registry::Linkage linkage(context.registry.store());
  IZDE_ASSIGN_OR_RETURN(registry::RowJudgement judgement,
                        linkage.JudgeRow(row_id, person_id, verdict, note, {call.actor()}));
  call.status = 201;
  return json{{"judgement", RowJudgementJson(judgement)}};
}

Result<json> ListResults(RouteContext& context, ListJobs& jobs, Call& call) {
  IZDE_RETURN_IF_ERROR(CheckParams(call, {}));
  IZDE_ASSIGN_OR_RETURN(int64_t id, ListParam(call));
  IZDE_ASSIGN_OR_RETURN(registry::ExternalList list,
                        context.registry.store().linkage().GetList(id));
  IZDE_RETURN_IF_ERROR(CheckMatched(jobs, list));
  registry::Linkage linkage(context.registry.store());
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::RowReview> reviews, linkage.ListReview(id));
  auth::Redactor redactor(call.role, context.registry.store());
  std::vector<io::ListResultRow> rows;
  rows.reserve(reviews.size());
  for (const registry::RowReview& review : reviews) {
    io::ListResultRow row{.line = review.row.line};
    for (const registry::RowCandidate& candidate : review.candidates) {
      IZDE_ASSIGN_OR_RETURN(registry::Person person,
                            context.registry.store().GetPerson(candidate.person_id));
      std::optional<registry::Person> shown = redactor.Redact(person);
      if (!shown) continue;
      row.candidates.push_back(candidate);
      // The name form that matched is not stored with the row: the person's own name stands in.
      row.matched_names.push_back(shown->display_name());
    }
    if (review.judged) {
      row.verdict = registry::VerdictName(review.judgement.verdict);
      if (review.judgement.person_id != 0) {
        row.judged_person = FormatId(IdKind::kPerson, review.judgement.person_id);
      }
    }
    rows.push_back(std::move(row));
  }
  std::ostringstream out;
  io::WriteListResults(out, rows, /*judgements=*/true);
  call.raw = true;
  call.res.set_content(out.str(), "text/csv; charset=utf-8");
  call.res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}-results.csv\"",
                                                         FormatId(IdKind::kList, list.id)));
  return json(nullptr);
}

}  // namespace

std::unique_ptr<RouteWorker> AddLinkageRoutes(const AddRouteFn& add, RouteContext context) {
  using auth::Action;
  auto jobs = std::make_unique<ListJobs>(context);
  ListJobs* worker = jobs.get();
  auto bind = [context](Result<json> (*handler)(RouteContext&, Call&)) {
    return [context, handler](Call& call) mutable { return handler(context, call); };
  };
  auto bind_jobs = [context, worker](Result<json> (*handler)(RouteContext&, ListJobs&, Call&)) {
    return
        [context, worker, handler](Call& call) mutable { return handler(context, *worker, call); };
  };
  add("GET", "/api/duplicates", Action::kRead, false, bind(&ListDuplicates));
  add("POST", "/api/judgements", Action::kResolveDuplicates, false, bind(&CreateJudgement));
  add("GET", "/api/clusters", Action::kRead, false, bind(&ListClusters));
  add("GET", "/api/persons/{id}/cluster", Action::kRead, false, bind(&PersonCluster));
  add("POST", "/api/clusters/{id}/unmerge", Action::kResolveDuplicates, false,
      bind(&UnmergeCluster));
  add("GET", "/api/lists", Action::kRead, false, bind_jobs(&ListLists));
  add("POST", "/api/lists", Action::kResolveDuplicates, false, bind_jobs(&CreateList));
  add("GET", "/api/lists/{id}", Action::kRead, false, bind_jobs(&GetList));
  add("GET", "/api/lists/{id}/rows", Action::kRead, false, bind_jobs(&ListRows));
  add("POST", "/api/lists/{id}/rows/{row}/judgement", Action::kResolveDuplicates, false,
      bind(&JudgeRow));
  add("GET", "/api/lists/{id}/results.csv", Action::kRead, false, bind_jobs(&ListResults));
  return jobs;
}

}  // namespace izde::http
