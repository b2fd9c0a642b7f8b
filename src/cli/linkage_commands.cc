// dedupe, review, merge, unmerge, clusters, match: record linkage on the registry
// (docs/dedupe.md). The engine is match/; what is found and decided is kept by
// registry::Linkage.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "cli/context.h"
#include "core/round.h"
#include "io/csv.h"
#include "io/list_match.h"
#include "match/candidate_index.h"
#include "registry/index_record.h"
#include "registry/linkage.h"
#include "registry/linkage_bulk.h"
#include "registry/places.h"

namespace izde::cli {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Fills `index` with every person of the store, from the index snapshot when it is current
// (io/index_snapshot.h); returns how many persons it holds.
Result<int64_t> BuildIndex(Context& context, const registry::Gazetteer& places,
                           match::CandidateIndex& index, int threads, int64_t* skipped) {
  IZDE_ASSIGN_OR_RETURN(io::IndexLoadReport report,
                        LoadRegistryIndex(context, places, index, threads, /*note=*/true));
  *skipped = report.skipped;
  return report.indexed;
}

// Runs `work(item_idx)` for every item on `threads` threads, reporting progress from the
// calling thread's share. CandidateIndex::Find may run concurrently with itself.
void ParallelFor(size_t items, int threads, const std::function<void(size_t)>& work,
                 const std::function<void(int64_t, int64_t)>& progress) {
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  auto run = [&](bool report) {
    while (true) {
      size_t item_idx = next.fetch_add(1);
      if (item_idx >= items) break;
      work(item_idx);
      size_t finished = done.fetch_add(1) + 1;
      if (report && progress && finished % 200 == 0) {
        progress(static_cast<int64_t>(finished), static_cast<int64_t>(items));
      }
    }
  };
  std::vector<std::thread> workers;
  for (int thread_idx = 1; thread_idx < threads; ++thread_idx) workers.emplace_back(run, false);
  run(true);
  for (std::thread& worker : workers) worker.join();
  if (progress) progress(static_cast<int64_t>(items), static_cast<int64_t>(items));
}

int DefaultThreads() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

// Counts code points, so that columns of Cyrillic or Arabic line up (Han is wider; close
// enough for a terminal review).
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string PadRight(std::string_view text, size_t width) {
  std::string padded(text);
  size_t shown = DisplayWidth(text);
  if (shown < width) padded.append(width - shown, ' ');
  return padded;
}

// The lines describing one person in the review, without padding.
Result<std::vector<std::string>> PersonLines(registry::Registry& registry, int64_t person_id) {
  IZDE_ASSIGN_OR_RETURN(registry::PersonRecord record, registry.GetPersonRecord(person_id));
  const registry::Person& person = record.person;
  std::vector<std::string> lines;
  lines.push_back(person.public_id() +
                  (person.external_id.empty() ? "" : " (" + person.external_id + ")"));
  for (const registry::PersonName& name : person.names) lines.push_back("  " + name.text);
  lines.push_back("gender: " + std::string(registry::GenderName(person.gender)));
  lines.push_back("born: " + (person.birth_date.unknown() ? "?" : person.birth_date.ToString()));
  lines.push_back("ethnicity: " + (person.ethnicity.empty() ? "?" : person.ethnicity));
  std::string hometown = person.hometown_text;
  if (!person.hometown_code.empty()) {
    const registry::Division* division = registry.places().Find(person.hometown_code);
    if (division != nullptr && hometown.empty()) hometown = division->name_latin;
    hometown += " [" + person.hometown_code + "]";
  }
  lines.push_back("hometown: " + (hometown.empty() ? "?" : hometown));
  lines.push_back("status: " + record.status);
  return lines;
}

void PrintSideBySide(std::ostream& out, const std::vector<std::string>& left,
                     const std::vector<std::string>& right) {
  size_t width = 30;
  for (const std::string& line : left) width = std::max(width, DisplayWidth(line) + 2);
  for (size_t line_idx = 0; line_idx < std::max(left.size(), right.size()); ++line_idx) {
    std::string left_line = line_idx < left.size() ? left[line_idx] : "";
    std::string right_line = line_idx < right.size() ? right[line_idx] : "";
    out << PadRight(left_line, width) << "| " << right_line << "\n";
  }
}

// Reads one answer; false at the end of input.
bool ReadAnswer(std::ostream& out, const std::string& prompt, std::string& answer) {
  out << prompt << std::flush;
  if (!std::getline(std::cin, answer)) {
    out << "\n";
    return false;
  }
  size_t begin = answer.find_first_not_of(" \t\r");
  size_t end = answer.find_last_not_of(" \t\r");
  answer = begin == std::string::npos ? "" : answer.substr(begin, end - begin + 1);
  return true;
}

Result<int64_t> ParseCount(const std::string& text, std::string_view field) {
  try {
    size_t used = 0;
    long long value = std::stoll(text, &used);
    if (used == text.size()) return static_cast<int64_t>(value);
  } catch (const std::exception&) {
  }
  return InvalidArgumentError(fmt::format("'{}' is not a number", text), std::string(field));
}

// --- dedupe ---------------------------------------------------------------------------

struct DedupeFlags {
  double threshold = 14.0;
  int limit = 5;
  int threads = DefaultThreads();
  int64_t max_block = 64;
};

Status RunDedupe(Context& context, const DedupeFlags& flags) {
  IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
  const registry::Gazetteer& places = registry->places();
  match::CandidateIndex index(registry::MakeScorer(places));
  Clock::time_point start = Clock::now();
  int64_t skipped = 0;
  context.err() << "dedupe: indexing persons...\n";
  IZDE_ASSIGN_OR_RETURN(const int64_t indexed,
                        BuildIndex(context, places, index, flags.threads, &skipped));
  double index_s = SecondsSince(start);
  context.err() << fmt::format("dedupe: indexed {} persons in {:.1f} s; blocking...\n", indexed,
                               index_s);

  // Blocking (name keys, pairs of them, with the birth year) bounds the pairs compared,
  // whatever the size of the registry; each pair is scored once, smaller id as the query.
  // The index reports (0, pairs) once the pairs are blocked, before scoring any.
  Clock::time_point block_start = Clock::now();
  std::optional<Clock::time_point> compare_start;
  auto bar = context.ProgressBar("comparing pairs");
  size_t compared = 0;
  std::vector<match::CandidateIndex::ScoredPair> scored = index.BlockAndScore(
      {.max_block = static_cast<size_t>(flags.max_block)}, flags.threshold, flags.threads,
      [&](int64_t done, int64_t total) {
        if (!compare_start) {
          compare_start = Clock::now();
          context.err() << fmt::format("dedupe: {} candidate pairs in {:.1f} s; comparing...\n",
                                       total, SecondsSince(block_start));
        }
        if (bar) bar(done, total);
      },
      &compared);
  if (!compare_start) compare_start = Clock::now();
  double block_s = std::chrono::duration<double>(*compare_start - block_start).count();
  double compare_s = SecondsSince(*compare_start);

  // A pair is kept when it is among the `--limit` best of either of its persons (ties to
  // the smaller other id, i.e. the earlier pair: pairs come ordered by (a, b)), as a search
  // per person would keep it. One sort of (person, score, pair) entries, not a map of lists.
  Clock::time_point write_start = Clock::now();
  struct Rank {
    int64_t person;
    double score;
    size_t pair_idx;
  };
  std::vector<Rank> ranks;
  ranks.reserve(scored.size() * 2);
  for (size_t pair_idx = 0; pair_idx < scored.size(); ++pair_idx) {
    ranks.push_back({scored[pair_idx].a, scored[pair_idx].score.total, pair_idx});
    ranks.push_back({scored[pair_idx].b, scored[pair_idx].score.total, pair_idx});
  }
  std::sort(ranks.begin(), ranks.end(), [](const Rank& left, const Rank& right) {
    if (left.person != right.person) return left.person < right.person;
    if (left.score != right.score) return left.score > right.score;
    return left.pair_idx < right.pair_idx;
  });
  std::vector<bool> kept(scored.size(), false);
  for (size_t rank_idx = 0, rank = 0; rank_idx < ranks.size(); ++rank_idx) {
    rank = rank_idx > 0 && ranks[rank_idx - 1].person == ranks[rank_idx].person ? rank + 1 : 0;
    if (rank < static_cast<size_t>(flags.limit)) kept[ranks[rank_idx].pair_idx] = true;
  }
  ranks = std::vector<Rank>();
  std::vector<size_t> kept_idx;
  for (size_t pair_idx = 0; pair_idx < scored.size(); ++pair_idx) {
    if (kept[pair_idx]) kept_idx.push_back(pair_idx);
  }
  // The explanations (JSON) written on every thread.
  std::vector<registry::CandidatePair> pairs(kept_idx.size());
  ParallelFor(
      kept_idx.size(), flags.threads,
      [&](size_t item) {
        const match::CandidateIndex::ScoredPair& pair = scored[kept_idx[item]];
        pairs[item] = {.person_a = pair.a,
                       .person_b = pair.b,
                       .score = RoundToHundredths(pair.score.total),
                       .explanation = io::StoredExplanation(pair.score)};
      },
      nullptr);
  scored = std::vector<match::CandidateIndex::ScoredPair>();
  const size_t pairs_found = pairs.size();

  registry::Linkage linkage(context.store());
  IZDE_ASSIGN_OR_RETURN(registry::QueueSummary summary,
                        linkage.QueuePairs(std::move(pairs), context.actor(),
                                           fmt::format("dedupe --threshold {} --limit {}",
                                                       flags.threshold, flags.limit)));
  double write_s = SecondsSince(write_start);
  double total_s = SecondsSince(start);
  context.err() << fmt::format(
      "dedupe: {} pairs compared in {:.1f} s ({} threads), queue written in {:.1f} s; "
      "total {:.1f} s\n",
      compared, compare_s, flags.threads, write_s, total_s);

  if (context.json) {
    context.PrintJson({{"persons", indexed},
                       {"skipped_no_key", skipped},
                       {"pairs_compared", compared},
                       {"pairs_found", pairs_found},
                       {"queued", summary.queued},
                       {"already_judged", summary.already_judged},
                       {"same_cluster", summary.same_cluster},
                       {"threshold", flags.threshold},
                       {"seconds",
                        {{"index", RoundToHundredths(index_s)},
                         {"block", RoundToHundredths(block_s)},
                         {"compare", RoundToHundredths(compare_s)},
                         {"write", RoundToHundredths(write_s)},
                         {"total", RoundToHundredths(total_s)}}}});
    return OkStatus();
  }
  context.out() << fmt::format(
      "{} candidate pairs at score >= {} among {} persons: {} queued for review, {} already "
      "judged, {} already merged. Review with `izde review`.\n",
      pairs_found, flags.threshold, indexed, summary.queued, summary.already_judged,
      summary.same_cluster);
  if (skipped > 0) {
    context.out() << fmt::format("{} persons have no name that can be compared.\n", skipped);
  }
  return OkStatus();
}

// --- review -----------------------------------------------------------------------------

Status ReviewPairs(Context& context, int64_t limit) {
  IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
  registry::Linkage linkage(context.store());
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::CandidatePair> queue, linkage.Queue(limit));
  if (context.json) {
    nlohmann::json pairs = nlohmann::json::array();
    for (const registry::CandidatePair& pair : queue) {
      IZDE_ASSIGN_OR_RETURN(registry::Person a, context.store().GetPerson(pair.person_a));
      IZDE_ASSIGN_OR_RETURN(registry::Person b, context.store().GetPerson(pair.person_b));
      nlohmann::json explanation = nlohmann::json::parse(pair.explanation, nullptr, false);
      pairs.push_back({{"pair", pair.id},
                       {"person_a", {{"id", a.public_id()}, {"name", a.display_name()}}},
                       {"person_b", {{"id", b.public_id()}, {"name", b.display_name()}}},
                       {"score", pair.score},
                       {"explanation", explanation.is_discarded() ? nlohmann::json(pair.explanation)
                                                                  : explanation}});
    }
    context.PrintJson({{"pending", pairs}});
    return OkStatus();
  }
  std::ostream& out = context.out();
  if (queue.empty()) {
    out << "The review queue is empty (run `izde dedupe` to fill it).\n";
    return OkStatus();
  }
  std::map<std::string, int64_t> counts;
  for (size_t pair_idx = 0; pair_idx < queue.size(); ++pair_idx) {
    const registry::CandidatePair& pair = queue[pair_idx];
    // An earlier answer in this session may have merged them already.
    IZDE_ASSIGN_OR_RETURN(registry::Cluster cluster, linkage.ClusterOf(pair.person_a));
    if (std::binary_search(cluster.persons.begin(), cluster.persons.end(), pair.person_b)) {
      continue;
    }
    IZDE_ASSIGN_OR_RETURN(std::vector<std::string> left, PersonLines(*registry, pair.person_a));
    IZDE_ASSIGN_OR_RETURN(std::vector<std::string> right, PersonLines(*registry, pair.person_b));
    out << fmt::format("\n--- pair {} of {} (score {:.1f}) ---\n", pair_idx + 1, queue.size(),
                       pair.score);
    PrintSideBySide(out, left, right);
    out << "why: " << io::ExplanationLine(pair.explanation) << "\n";
    std::string answer;
    while (true) {
      if (!ReadAnswer(out, "[s]ame, [d]ifferent, [u]nsure, [k] skip, [q]uit > ", answer)) {
        answer = "q";
      }
      if (answer == "s" || answer == "d" || answer == "u" || answer == "k" || answer == "q") {
        break;
      }
      out << "Please answer s, d, u, k or q.\n";
    }
    if (answer == "q") break;
    if (answer == "k") {
      ++counts["skipped"];
      continue;
    }
    registry::Verdict verdict = answer == "s"   ? registry::Verdict::kSame
                                : answer == "d" ? registry::Verdict::kDifferent
                                                : registry::Verdict::kUnsure;
    IZDE_RETURN_IF_ERROR(
        linkage.Judge(pair.person_a, pair.person_b, verdict, "review", context.actor()).status());
    ++counts[std::string(registry::VerdictName(verdict))];
  }
  out << fmt::format("Reviewed: {} same, {} different, {} unsure, {} skipped.\n", counts["same"],
                     counts["different"], counts["unsure"], counts["skipped"]);
  return OkStatus();
}

Result<std::string> PersonLabel(Context& context, int64_t person_id) {
  IZDE_ASSIGN_OR_RETURN(registry::Person person, context.store().GetPerson(person_id));
  return person.public_id() + " " + person.display_name();
}

std::string RowLine(const registry::ListRow& row) {
  nlohmann::json values = nlohmann::json::parse(row.values, nullptr, false);
  if (!values.is_object()) return row.values;
  std::string line;
  for (const auto& [column, value] : values.items()) {
    if (!line.empty()) line += "; ";
    line += column + ": " + (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return line;
}

Status ReviewList(Context& context, const std::string& list_text, int64_t limit) {
  IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
  (void)registry;
  Result<int64_t> list_id = ParseId(IdKind::kList, list_text);
  if (!list_id.ok()) return InvalidArgumentError(list_id.status().message(), "list");
  registry::Linkage linkage(context.store());
  IZDE_ASSIGN_OR_RETURN(registry::ExternalList list, context.store().linkage().GetList(*list_id));
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::RowReview> rows, linkage.ListReview(*list_id));
  std::vector<const registry::RowReview*> pending;
  for (const registry::RowReview& row : rows) {
    if (!row.judged && !row.candidates.empty()) pending.push_back(&row);
    if (limit > 0 && static_cast<int64_t>(pending.size()) >= limit) break;
  }
  if (context.json) {
    nlohmann::json items = nlohmann::json::array();
    for (const registry::RowReview* row : pending) {
      nlohmann::json candidates = nlohmann::json::array();
      for (const registry::RowCandidate& candidate : row->candidates) {
        IZDE_ASSIGN_OR_RETURN(std::string label, PersonLabel(context, candidate.person_id));
        candidates.push_back(
            {{"rank", candidate.rank},
             {"person", FormatId(IdKind::kPerson, candidate.person_id)},
             {"label", label},
             {"score", candidate.score},
             {"explanation", nlohmann::json::parse(candidate.explanation, nullptr, false)}});
      }
      items.push_back({{"row", row->row.id},
                       {"line", row->row.line},
                       {"values", nlohmann::json::parse(row->row.values, nullptr, false)},
                       {"candidates", candidates}});
    }
    context.PrintJson(
        {{"list", FormatId(IdKind::kList, list.id)}, {"title", list.title}, {"pending", items}});
    return OkStatus();
  }
  std::ostream& out = context.out();
  if (pending.empty()) {
    out << fmt::format("Nothing to review in {} \"{}\".\n", FormatId(IdKind::kList, list.id),
                       list.title);
    return OkStatus();
  }
  std::map<std::string, int64_t> counts;
  for (size_t pending_idx = 0; pending_idx < pending.size(); ++pending_idx) {
    const registry::RowReview& row = *pending[pending_idx];
    out << fmt::format("\n--- {} line {} ({} of {}) ---\n", FormatId(IdKind::kList, list.id),
                       row.row.line, pending_idx + 1, pending.size());
    out << "row: " << RowLine(row.row) << "\n";
    for (const registry::RowCandidate& candidate : row.candidates) {
      IZDE_ASSIGN_OR_RETURN(std::string label, PersonLabel(context, candidate.person_id));
      out << fmt::format("  [{}] {}  {:.1f}  {}\n", candidate.rank, label, candidate.score,
                         io::ExplanationLine(candidate.explanation));
    }
    std::string answer;
    int64_t chosen = 0;
    while (true) {
      if (!ReadAnswer(out,
                      fmt::format("[1-{}] is this person, [n]o match, [u]nsure, [k] skip, "
                                  "[q]uit > ",
                                  row.candidates.size()),
                      answer)) {
        answer = "q";
      }
      if (answer == "s") answer = "1";
      if (answer == "d") answer = "n";
      if (answer == "n" || answer == "u" || answer == "k" || answer == "q") break;
      Result<int64_t> rank = ParseCount(answer, "answer");
      if (rank.ok() && *rank >= 1 && *rank <= static_cast<int64_t>(row.candidates.size())) {
        chosen = row.candidates[static_cast<size_t>(*rank - 1)].person_id;
        break;
      }
      out << "Please answer a candidate's number, n, u, k or q.\n";
    }
    if (answer == "q") break;
    if (answer == "k") {
      ++counts["skipped"];
      continue;
    }
    registry::Verdict verdict = chosen > 0      ? registry::Verdict::kSame
                                : answer == "n" ? registry::Verdict::kDifferent
                                                : registry::Verdict::kUnsure;
    IZDE_RETURN_IF_ERROR(
        linkage.JudgeRow(row.row.id, chosen, verdict, "review", context.actor()).status());
    ++counts[std::string(registry::VerdictName(verdict))];
  }
  out << fmt::format("Reviewed: {} matched, {} no match, {} unsure, {} skipped.\n", counts["same"],
                     counts["different"], counts["unsure"], counts["skipped"]);
  return OkStatus();
}

// --- merge, unmerge, clusters ---------------------------------------------------------------

Status PrintCluster(Context& context, const registry::Cluster& cluster, const char* heading) {
  if (context.json) {
    nlohmann::json persons = nlohmann::json::array();
    for (int64_t person_id : cluster.persons) {
      IZDE_ASSIGN_OR_RETURN(registry::Person person, context.store().GetPerson(person_id));
      persons.push_back({{"id", person.public_id()}, {"name", person.display_name()}});
    }
    nlohmann::json judgements = nlohmann::json::array();
    for (int64_t judgement : cluster.judgements) judgements.push_back(judgement);
    context.PrintJson({{"cluster", registry::FormatClusterId(cluster.id)},
                       {"persons", persons},
                       {"judgements", judgements}});
    return OkStatus();
  }
  context.out() << fmt::format("{} {} ({} persons):\n", heading,
                               registry::FormatClusterId(cluster.id), cluster.persons.size());
  for (int64_t person_id : cluster.persons) {
    IZDE_ASSIGN_OR_RETURN(std::string label, PersonLabel(context, person_id));
    context.out() << "  " << label << "\n";
  }
  return OkStatus();
}

// "C-000003" (a cluster is named by its smallest person), or any of its persons.
Result<int64_t> ResolveClusterMember(registry::Store& store, std::string_view text) {
  if (text.size() > 2 && (text[0] == 'C' || text[0] == 'c') && text[1] == '-') {
    Result<int64_t> id = ParseId(IdKind::kPerson, text.substr(2));
    if (!id.ok())
      return InvalidArgumentError(fmt::format("'{}' is not a cluster id", text), "cluster");
    return id;
  }
  return ResolvePersonId(store, text);
}

// --- match ------------------------------------------------------------------------------

struct MatchFlags {
  std::string file, map, title, out;
  int limit = 3;
  double threshold = 0;
  int threads = DefaultThreads();
};

Status RunMatch(Context& context, const MatchFlags& flags) {
  IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
  const registry::Gazetteer& places = registry->places();
  Clock::time_point start = Clock::now();
  std::ifstream in(flags.file, std::ios::binary);
  if (!in) return NotFoundError(fmt::format("cannot read '{}'", flags.file));
  // The whole list is read and checked before the slow part, so a bad row fails fast.
  IZDE_ASSIGN_OR_RETURN(std::vector<io::ColumnMapping> mappings, io::ParseColumnMapText(flags.map));
  IZDE_ASSIGN_OR_RETURN(io::ParsedList parsed, io::ReadListCsv(in, mappings, flags.file, places));
  if (flags.title.empty()) return InvalidArgumentError("give the list a --list TITLE", "list");
  const double read_s = SecondsSince(start);

  Clock::time_point index_start = Clock::now();
  match::CandidateIndex index(registry::MakeScorer(places));
  int64_t skipped = 0;
  IZDE_ASSIGN_OR_RETURN(const int64_t indexed,
                        BuildIndex(context, places, index, flags.threads, &skipped));
  const double index_s = SecondsSince(index_start);

  // The rows are matched on `threads` threads while this one stores those matched, in order,
  // chunk by chunk, in the list's transaction (storing after matching was a fifth of the wall
  // time at 1M, docs/dedupe.md). The transaction, which holds SQLite's write lock, is opened
  // when three quarters of the rows are matched: storing a row costs about a quarter of
  // matching it on two cores, so the rest is stored as it is matched, and other writers wait
  // no longer than they did for a list stored at the end.
  Clock::time_point match_start = Clock::now();
  std::vector<io::ParsedListRow>& rows = parsed.rows;
  std::vector<registry::ListRowInput> inputs(rows.size());
  std::vector<std::vector<std::string>> matched_names(rows.size());
  std::vector<std::vector<std::string>> explanation_lines(rows.size());
  std::atomic<int64_t> no_key{0};
  const io::CandidateFinder find = [&index](const match::Query& query, int limit) {
    return index.Find(query, limit);
  };
  const io::ListMatchOptions options{.limit = flags.limit, .threshold = flags.threshold};
  // The storing thread sleeps until the rows it waits for are all matched: the matchers wake
  // it once for that, not once per row (a futex wake-up, and on two cores a matcher preempted,
  // for each of the 10,000 rows).
  std::mutex ready_mutex;
  std::condition_variable ready_changed;
  std::vector<uint8_t> ready(rows.size(), 0);  // guarded by ready_mutex
  size_t matched_prefix = 0;  // guarded by ready_mutex: rows [0, matched_prefix) are matched
  size_t wake_at = SIZE_MAX;  // guarded by ready_mutex: wake the storer when the prefix gets here
  std::atomic<bool> stop{false};  // storing failed: match no more rows
  double match_s = 0;
  std::thread matcher([&] {
    ParallelFor(
        rows.size(), flags.threads,
        [&](size_t row_idx) {
          if (stop.load(std::memory_order_relaxed)) return;
          io::MatchedListRow matched = io::MatchListRow(std::move(rows[row_idx]), find, options);
          if (matched.no_key) ++no_key;
          inputs[row_idx] = std::move(matched.input);
          matched_names[row_idx] = std::move(matched.matched_names);
          explanation_lines[row_idx] = std::move(matched.explanation_lines);
          bool wake = false;
          {
            std::lock_guard lock(ready_mutex);
            ready[row_idx] = 1;
            while (matched_prefix < ready.size() && ready[matched_prefix] != 0) ++matched_prefix;
            if (matched_prefix >= wake_at) {
              wake = true;
              wake_at = SIZE_MAX;
            }
          }
          if (wake) ready_changed.notify_one();
        },
        context.ProgressBar("matching rows"));
    match_s = SecondsSince(match_start);
  });
  // Waits until rows [0, wanted) are matched; returns how many from the first are matched (at
  // least `wanted`).
  auto wait_for_prefix = [&](size_t wanted) {
    std::unique_lock lock(ready_mutex);
    if (matched_prefix < wanted) {
      wake_at = wanted;
      ready_changed.wait(lock, [&] { return matched_prefix >= wanted; });
    }
    return matched_prefix;
  };
  // Chunks of at least kChunkRows rows (the last may be shorter), with those matched beyond
  // them: one statement or two each.
  constexpr size_t kChunkRows = 256;
  size_t stored_rows = 0;
  // The results CSV is written beside the store's last steps (the commit and SQLite's
  // checkpoint of the list, 0.6-0.8 s at 1M, docs/dedupe.md): it starts when the store asks
  // for rows after the last, so every row has been written to the store and is no longer
  // touched by it. It goes to a temporary file, renamed to --out only once the list is stored.
  const std::string csv_temp = flags.out.empty() ? std::string() : flags.out + ".partial";
  Status csv_status;
  double csv_s = 0;
  std::thread csv_writer;
  bool counted = false;  // rows_with_candidates counted, the CSV writer started
  int64_t rows_with_candidates = 0;
  auto write_csv = [&] {
    Clock::time_point csv_start = Clock::now();
    std::ofstream out(csv_temp, std::ios::binary | std::ios::trunc);
    if (!out) {
      csv_status = UnavailableError(fmt::format("cannot write '{}'", csv_temp));
      return;
    }
    std::vector<io::ListResultRow> results(inputs.size());
    for (size_t row_idx = 0; row_idx < inputs.size(); ++row_idx) {
      results[row_idx] = {.line = inputs[row_idx].row.line,
                          .candidates = std::move(inputs[row_idx].candidates),
                          .matched_names = std::move(matched_names[row_idx]),
                          .explanation_lines = std::move(explanation_lines[row_idx])};
    }
    io::WriteListResults(out, results);
    out.flush();
    if (!out) csv_status = UnavailableError(fmt::format("cannot write '{}'", csv_temp));
    csv_s = SecondsSince(csv_start);
  };
  const registry::ListRowChunks next_rows = [&]() -> Result<std::span<registry::ListRowInput>> {
    const size_t begin = stored_rows;
    if (begin == inputs.size()) {
      if (!counted) {
        for (const registry::ListRowInput& input : inputs) {
          if (!input.candidates.empty()) ++rows_with_candidates;
        }
        counted = true;
        if (!csv_temp.empty()) csv_writer = std::thread(write_csv);
      }
      return std::span<registry::ListRowInput>();
    }
    stored_rows = wait_for_prefix(std::min(inputs.size(), begin + kChunkRows));
    return std::span<registry::ListRowInput>(inputs.data() + begin, stored_rows - begin);
  };
  wait_for_prefix(rows.size() - rows.size() / 4);
  std::string source = std::filesystem::path(flags.file).filename().string();
  Result<registry::ExternalList> stored = registry::CreateListInChunks(
      context.store(),
      {.title = flags.title, .source_file = source, .column_map = Dump(parsed.column_map)},
      next_rows, context.actor());
  if (!stored.ok()) {
    // The matcher may wait for nothing more: let it finish the rows it holds, then go.
    stop = true;
  }
  matcher.join();
  // What storing took after the last row was matched.
  const double write_s = std::max(0.0, SecondsSince(match_start) - match_s);
  if (!csv_temp.empty()) {
    // A store that failed before the end never asked for rows after the last: write nothing.
    if (csv_writer.joinable()) csv_writer.join();
    std::error_code ignored;
    if (!stored.ok() || !csv_status.ok()) std::filesystem::remove(csv_temp, ignored);
  }
  IZDE_RETURN_IF_ERROR(stored.status());
  IZDE_RETURN_IF_ERROR(csv_status);
  if (!csv_temp.empty()) {
    std::error_code renamed;
    std::filesystem::rename(csv_temp, flags.out, renamed);
    if (renamed) {
      return UnavailableError(fmt::format("cannot write '{}': {}", flags.out, renamed.message()));
    }
  }

  double total_s = SecondsSince(start);
  context.err() << fmt::format(
      "match: list read in {:.1f} s; index of {} persons in {:.1f} s; {} rows matched in {:.1f} s "
      "({} threads); stored in {:.1f} s; results CSV in {:.1f} s; total {:.1f} s\n",
      read_s, indexed, index_s, inputs.size(), match_s, flags.threads, write_s, csv_s, total_s);
  std::string list_id = FormatId(IdKind::kList, stored->id);
  if (context.json) {
    context.PrintJson({{"list", list_id},
                       {"title", stored->title},
                       {"rows", stored->rows},
                       {"rows_with_candidates", rows_with_candidates},
                       {"rows_without_name_key", no_key.load()},
                       {"unknown_places", parsed.unknown_places},
                       {"out", flags.out},
                       {"seconds",
                        {{"read", RoundToHundredths(read_s)},
                         {"index", RoundToHundredths(index_s)},
                         {"match", RoundToHundredths(match_s)},
                         {"write", RoundToHundredths(write_s)},
                         {"csv", RoundToHundredths(csv_s)},
                         {"total", RoundToHundredths(total_s)}}}});
    return OkStatus();
  }
  context.out() << fmt::format(
      "List {} \"{}\": {} rows stored, {} with candidates{}. Review with `izde review --list "
      "{}`.\n",
      list_id, stored->title, stored->rows, rows_with_candidates,
      flags.out.empty() ? "" : fmt::format("; results in {}", flags.out), list_id);
  if (parsed.unknown_places > 0) {
    context.out() << fmt::format("{} rows name a place the gazetteer does not know (ignored).\n",
                                 parsed.unknown_places);
  }
  return OkStatus();
}

void AddMatchCommand(CLI::App& app, Context& context, Action& action) {
  auto flags = std::make_shared<MatchFlags>();
  CLI::App* command = app.add_subcommand(
      "match", "Match an external list (CSV) against the registry and store it for review");
  command->add_option("FILE", flags->file, "A CSV file with a header row")->required();
  command->add_option("--map", flags->map, "name=COL[,name=COL2],birth=COL,place=COL,gender=COL")
      ->required();
  command->add_option("--list", flags->title, "The list's title")->required();
  command->add_option("--out", flags->out, "Also write the results as CSV");
  command->add_option("--limit", flags->limit, "Candidates kept per row")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  command->add_option("--threshold", flags->threshold, "Lowest score of a kept candidate")
      ->capture_default_str();
  command->add_option("--threads", flags->threads, "Threads matching rows")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  command->callback(
      [&, flags] { action = [&, flags]() -> Status { return RunMatch(context, *flags); }; });
}

}  // namespace

void AddLinkageCommands(CLI::App& app, Context& context, Action& action) {
  // dedupe
  auto dedupe_flags = std::make_shared<DedupeFlags>();
  CLI::App* dedupe = app.add_subcommand(
      "dedupe", "Find persons entered more than once and queue the pairs for review");
  dedupe->add_option("--threshold", dedupe_flags->threshold, "Lowest score of a queued pair")
      ->capture_default_str();
  dedupe->add_option("--limit", dedupe_flags->limit, "Pairs kept per person, best first")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  dedupe->add_option("--threads", dedupe_flags->threads, "Threads comparing persons")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  dedupe
      ->add_option("--max-block", dedupe_flags->max_block,
                   "Blocks of more persons than this are skipped (more finds more, slower)")
      ->capture_default_str()
      ->check(CLI::Range(2, 100000));
  dedupe->callback([&, dedupe_flags] {
    action = [&, dedupe_flags]() -> Status { return RunDedupe(context, *dedupe_flags); };
  });

  // review
  struct ReviewFlags {
    std::string list;
    int64_t limit = 0;
  };
  auto review_flags = std::make_shared<ReviewFlags>();
  CLI::App* review = app.add_subcommand(
      "review", "Walk the review queue: same / different / unsure, read from standard input");
  review->add_option("--list", review_flags->list, "Review the rows of a matched list (L-000001)");
  review->add_option("--limit", review_flags->limit, "At most this many items (0: all)")
      ->capture_default_str();
  review->callback([&, review_flags] {
    action = [&, review_flags]() -> Status {
      if (!review_flags->list.empty()) {
        return ReviewList(context, review_flags->list, review_flags->limit);
      }
      return ReviewPairs(context, review_flags->limit);
    };
  });

  // merge
  struct MergeFlags {
    std::string a, b, note;
  };
  auto merge_flags = std::make_shared<MergeFlags>();
  CLI::App* merge = app.add_subcommand(
      "merge", "Record that two persons are one (a \"same\" judgement; no record changes)");
  merge->add_option("A", merge_flags->a, "A person: P-000123, 123 or an external id")->required();
  merge->add_option("B", merge_flags->b, "The other person")->required();
  merge->add_option("--note", merge_flags->note, "Why they are the same person");
  merge->callback([&, merge_flags] {
    action = [&, merge_flags]() -> Status {
      IZDE_RETURN_IF_ERROR(context.OpenRegistry().status());
      IZDE_ASSIGN_OR_RETURN(int64_t a, ResolvePersonId(context.store(), merge_flags->a));
      IZDE_ASSIGN_OR_RETURN(int64_t b, ResolvePersonId(context.store(), merge_flags->b));
      registry::Linkage linkage(context.store());
      IZDE_RETURN_IF_ERROR(
          linkage.Judge(a, b, registry::Verdict::kSame, merge_flags->note, context.actor())
              .status());
      IZDE_ASSIGN_OR_RETURN(registry::Cluster cluster, linkage.ClusterOf(a));
      return PrintCluster(context, cluster, "Merged into cluster");
    };
  });

  // unmerge
  auto unmerge_flags = std::make_shared<MergeFlags>();
  CLI::App* unmerge = app.add_subcommand(
      "unmerge", "Explode a cluster: its \"same\" judgements are undone (kept as history)");
  unmerge->add_option("CLUSTER", unmerge_flags->a, "C-000003, or any person in the cluster")
      ->required();
  unmerge->add_option("--note", unmerge_flags->note, "Why the merge was wrong");
  unmerge->callback([&, unmerge_flags] {
    action = [&, unmerge_flags]() -> Status {
      IZDE_RETURN_IF_ERROR(context.OpenRegistry().status());
      IZDE_ASSIGN_OR_RETURN(int64_t member,
                            ResolveClusterMember(context.store(), unmerge_flags->a));
      registry::Linkage linkage(context.store());
      IZDE_ASSIGN_OR_RETURN(registry::Cluster cluster,
                            linkage.Unmerge(member, unmerge_flags->note, context.actor()));
      return PrintCluster(context, cluster, "Unmerged cluster");
    };
  });

  // clusters
  CLI::App* clusters = app.add_subcommand("clusters", "List persons merged by judgements");
  clusters->callback([&] {
    action = [&]() -> Status {
      IZDE_RETURN_IF_ERROR(context.OpenRegistry().status());
      registry::Linkage linkage(context.store());
      IZDE_ASSIGN_OR_RETURN(std::vector<registry::Cluster> all, linkage.Clusters());
      if (context.json) {
        nlohmann::json items = nlohmann::json::array();
        for (const registry::Cluster& cluster : all) {
          nlohmann::json persons = nlohmann::json::array();
          for (int64_t person_id : cluster.persons) {
            persons.push_back(FormatId(IdKind::kPerson, person_id));
          }
          items.push_back({{"cluster", registry::FormatClusterId(cluster.id)},
                           {"persons", persons},
                           {"judgements", cluster.judgements}});
        }
        context.PrintJson({{"clusters", items}});
        return OkStatus();
      }
      if (all.empty()) context.out() << "No merged persons.\n";
      for (const registry::Cluster& cluster : all) {
        IZDE_RETURN_IF_ERROR(PrintCluster(context, cluster, "Cluster"));
      }
      return OkStatus();
    };
  });

  AddMatchCommand(app, context, action);
}

}  // namespace izde::cli
