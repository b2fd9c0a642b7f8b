// Duplicates (the review queue), judgements, clusters and external lists: a thin layer over
// registry::Linkage. Lists are read and matched by io/list_match.h, the code `izde match`
// runs, against the server's own name index (the catalog).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "auth/redaction.h"
#include "http/decode.h"
#include "http/routes.h"
#include "http/views.h"
#include "io/list_match.h"
#include "registry/linkage.h"

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
  IZDE_RETURN_IF_ERROR(CheckParams(call, {"limit"}));
  IZDE_ASSIGN_OR_RETURN(int64_t limit,
                        IntParam(call.req.get_param_value("limit"), "limit", 1, 500, 50));
  registry::Linkage linkage(context.registry.store());
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::CandidatePair> queue, linkage.Queue(0));
  auth::Redactor redactor(call.role, context.registry.store());
  json pairs = json::array();
  int64_t total = 0;
  for (const registry::CandidatePair& pair : queue) {
    // A pair with a person the role may not see is left out, count included.
    IZDE_ASSIGN_OR_RETURN(bool a_visible, redactor.MaySeePerson(pair.person_a));
    IZDE_ASSIGN_OR_RETURN(bool b_visible, redactor.MaySeePerson(pair.person_b));
    if (!a_visible || !b_visible) continue;
    ++total;
    if (static_cast<int64_t>(pairs.size()) >= limit) continue;
    IZDE_ASSIGN_OR_RETURN(json a, PersonView(context, pair.person_a, call.role));
    IZDE_ASSIGN_OR_RETURN(json b, PersonView(context, pair.person_b, call.role));
    pairs.push_back({{"id", pair.id},
                     {"score", pair.score},
                     {"explanation", ParsedOr(pair.explanation, json::array())},
                     {"a", a},
                     {"b", b}});
  }
  return json{{"pairs", pairs}, {"total", total}};
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

Result<json> ListLists(RouteContext& context, Call& call) {
  IZDE_RETURN_IF_ERROR(CheckParams(call, {}));
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::ExternalList> all,
                        context.registry.store().linkage().Lists());
  json lists = json::array();
  for (const registry::ExternalList& list : all) lists.push_back(ListJson(list));
  return json{{"lists", lists}};
}

Result<json> CreateList(RouteContext& context, Call& call) {
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
  io::ListMatchOptions options;
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
  const Catalog& catalog = context.catalog;
  const io::CandidateFinder find = [&catalog](const match::Query& query, int limit) {
    return catalog.Find(query, limit);
  };
  std::vector<registry::ListRowInput> inputs;
  inputs.reserve(parsed->rows.size());
  int64_t with_candidates = 0;
  for (io::ParsedListRow& row : parsed->rows) {
    io::MatchedListRow matched = io::MatchListRow(std::move(row), find, options);
    if (!matched.input.candidates.empty()) ++with_candidates;
    inputs.push_back(std::move(matched.input));
  }
  registry::Linkage linkage(context.registry.store());
  registry::ExternalList list{
      .title = *title,
      .source_file = source,
      .column_map = parsed->column_map.dump(-1, ' ', false, json::error_handler_t::replace)};
  IZDE_ASSIGN_OR_RETURN(registry::ExternalList stored,
                        linkage.CreateList(std::move(list), std::move(inputs), {call.actor()}));
  call.status = 201;
  return json{{"list", ListJson(stored)},
              {"rows", stored.rows},
              {"rows_with_candidates", with_candidates},
              {"unknown_places", parsed->unknown_places}};
}

Result<json> GetList(RouteContext& context, Call& call) {
  IZDE_ASSIGN_OR_RETURN(int64_t id, ListParam(call));
  IZDE_ASSIGN_OR_RETURN(registry::ExternalList list,
                        context.registry.store().linkage().GetList(id));
  return json{{"list", ListJson(list)}};
}

Result<json> ListRows(RouteContext& context, Call& call) {
  IZDE_RETURN_IF_ERROR(CheckParams(call, {}));
  IZDE_ASSIGN_OR_RETURN(int64_t id, ListParam(call));
  IZDE_RETURN_IF_ERROR(context.registry.store().linkage().GetList(id).status());
  registry::Linkage linkage(context.registry.store());
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::RowReview> reviews, linkage.ListReview(id));
  json rows = json::array();
  for (const registry::RowReview& review : reviews) {
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
  return json{{"rows", rows}};
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

Result<json> ListResults(RouteContext& context, Call& call) {
  IZDE_RETURN_IF_ERROR(CheckParams(call, {}));
  IZDE_ASSIGN_OR_RETURN(int64_t id, ListParam(call));
  IZDE_ASSIGN_OR_RETURN(registry::ExternalList list,
                        context.registry.store().linkage().GetList(id));
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

void AddLinkageRoutes(const AddRouteFn& add, RouteContext context) {
  using auth::Action;
  auto bind = [context](Result<json> (*handler)(RouteContext&, Call&)) {
    return [context, handler](Call& call) mutable { return handler(context, call); };
  };
  add("GET", "/api/duplicates", Action::kRead, false, bind(&ListDuplicates));
  add("POST", "/api/judgements", Action::kResolveDuplicates, false, bind(&CreateJudgement));
  add("GET", "/api/clusters", Action::kRead, false, bind(&ListClusters));
  add("GET", "/api/persons/{id}/cluster", Action::kRead, false, bind(&PersonCluster));
  add("POST", "/api/clusters/{id}/unmerge", Action::kResolveDuplicates, false,
      bind(&UnmergeCluster));
  add("GET", "/api/lists", Action::kRead, false, bind(&ListLists));
  add("POST", "/api/lists", Action::kResolveDuplicates, false, bind(&CreateList));
  add("GET", "/api/lists/{id}", Action::kRead, false, bind(&GetList));
  add("GET", "/api/lists/{id}/rows", Action::kRead, false, bind(&ListRows));
  add("POST", "/api/lists/{id}/rows/{row}/judgement", Action::kResolveDuplicates, false,
      bind(&JudgeRow));
  add("GET", "/api/lists/{id}/results.csv", Action::kRead, false, bind(&ListResults));
}

}  // namespace izde::http
