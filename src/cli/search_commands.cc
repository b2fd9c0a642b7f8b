// search: finds persons by name in any script, ranked and explained (docs/search.md).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "cli/context.h"
#include "core/round.h"
#include "match/candidate_index.h"
#include "registry/index_record.h"
#include "registry/places.h"

namespace izde::cli {
namespace {

using Clock = std::chrono::steady_clock;

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string ExplanationLine(const match::Score& score) {
  std::string line;
  for (const match::FieldWeight& field : score.explanation) {
    if (!line.empty()) line += "; ";
    line += fmt::format("{} {:+.1f} {}", field.field, field.weight, field.value);
  }
  return line;
}

}  // namespace

void AddSearchCommands(CLI::App& app, Context& context, Action& action) {
  struct SearchFlags {
    std::string query, birth_year, place, gender;
    int limit = 10;
  };
  auto flags = std::make_shared<SearchFlags>();
  CLI::App* search =
      app.add_subcommand("search", "Find persons by name in any script, ranked and explained");
  search->add_option("QUERY", flags->query, "A name in any script: \"Serikzhan Bilash\"")
      ->required();
  search->add_option("--birth-year", flags->birth_year, "1974, about 1974, 1970..1975");
  search->add_option("--place", flags->place, "Hometown: a place name in any script or a code");
  search->add_option("--gender", flags->gender, "male or female");
  search->add_option("--limit", flags->limit, "How many persons to show")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  search->callback([&, flags] {
    action = [&, flags]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      const registry::Gazetteer& places = registry->places();

      match::Query query;
      query.names = {flags->query};
      IZDE_ASSIGN_OR_RETURN(PartialDate birth, ParseDateField(flags->birth_year, "birth_year"));
      query.fields.birth = registry::YearsOf(birth);
      if (!flags->place.empty()) {
        const registry::Division* division = places.Find(flags->place);
        if (division == nullptr) division = places.Resolve(flags->place);
        if (division == nullptr) {
          return InvalidArgumentError("unknown place \"" + flags->place +
                                          "\": give a division code or a name the gazetteer knows",
                                      "place");
        }
        query.fields.hometown_code = division->code;
      }
      IZDE_ASSIGN_OR_RETURN(registry::Gender gender, registry::ParseGender(flags->gender));
      query.fields.gender = registry::MatchGender(gender);

      // The index lives as long as this command: read from the snapshot beside the database
      // when it is current, else built from the store (and the snapshot written), queried once.
      match::CandidateIndex index(registry::MakeScorer(places));
      Clock::time_point build_start = Clock::now();
      // Persons are analysed in batches on every core (nearly all of the build is analysis).
      const int threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
      IZDE_ASSIGN_OR_RETURN(io::IndexLoadReport loaded,
                            LoadRegistryIndex(context, places, index, threads, /*note=*/false));
      const int64_t skipped = loaded.skipped;
      double build_ms = MillisecondsSince(build_start);

      Clock::time_point query_start = Clock::now();
      IZDE_ASSIGN_OR_RETURN(std::vector<match::Candidate> found, index.Find(query, flags->limit));
      double query_ms = MillisecondsSince(query_start);
      match::IndexStats stats = index.stats();

      std::vector<std::string> display_names;
      for (const match::Candidate& candidate : found) {
        IZDE_ASSIGN_OR_RETURN(registry::Person person, context.store().GetPerson(candidate.id));
        display_names.push_back(person.display_name());
      }

      if (context.json) {
        nlohmann::json results = nlohmann::json::array();
        for (size_t found_idx = 0; found_idx < found.size(); ++found_idx) {
          const match::Candidate& candidate = found[found_idx];
          nlohmann::json explanation = nlohmann::json::array();
          for (const match::FieldWeight& field : candidate.score.explanation) {
            explanation.push_back(
                {{"field", field.field}, {"value", field.value}, {"weight", RoundToHundredths(field.weight)}});
          }
          results.push_back({{"id", FormatId(IdKind::kPerson, candidate.id)},
                             {"name", display_names[found_idx]},
                             {"matched_name", candidate.matched_name},
                             {"score", RoundToHundredths(candidate.score.total)},
                             {"name_similarity", RoundToHundredths(candidate.score.name_score)},
                             {"explanation", explanation}});
        }
        context.PrintJson({{"query",
                            {{"name", flags->query},
                             {"birth_year", flags->birth_year},
                             {"place", query.fields.hometown_code},
                             {"gender", flags->gender}}},
                           {"results", results},
                           {"index",
                            {{"persons", stats.records},
                             {"name_forms", stats.name_forms},
                             {"skipped", skipped},
                             {"keys", stats.keys},
                             {"bytes", stats.bytes},
                             {"build_ms", RoundToHundredths(build_ms)},
                             {"from_snapshot", loaded.from_snapshot},
                             {"query_ms", RoundToHundredths(query_ms)}}}});
        return OkStatus();
      }
      std::ostream& out = context.out();
      if (found.empty()) out << "No person found.\n";
      for (size_t found_idx = 0; found_idx < found.size(); ++found_idx) {
        const match::Candidate& candidate = found[found_idx];
        out << fmt::format("{}  {}  {:.1f}  {}\n", FormatId(IdKind::kPerson, candidate.id),
                           display_names[found_idx], candidate.score.total,
                           ExplanationLine(candidate.score));
      }
      out << fmt::format(
          "({} persons, {} name forms searched in {:.1f} ms; index {} in {:.0f} ms)\n",
          stats.records, stats.name_forms, query_ms,
          loaded.from_snapshot ? "read from its snapshot" : "built", build_ms);
      return OkStatus();
    };
  });
}

}  // namespace izde::cli
