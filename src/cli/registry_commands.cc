// init, summary, stats, person show/add, event add, testimony add, history, revert.
#include <iostream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "auth/redaction.h"
#include "cli/context.h"
#include "registry/json.h"
#include "store/vault.h"

namespace izde::cli {
namespace {

using registry::Event;
using registry::Person;
using registry::PersonRecord;
using registry::Testimony;

std::string PlaceLabel(const registry::Gazetteer& places, const std::string& code,
                       const std::string& text) {
  std::string label;
  if (const registry::Division* division = places.Find(code)) {
    label = fmt::format("{} {} ({})", division->name_zh, division->name_latin, code);
  }
  if (!text.empty()) label += label.empty() ? text : fmt::format(" \"{}\"", text);
  return label;
}

nlohmann::json RecordJson(const PersonRecord& record) {
  nlohmann::json json;
  json["person"] = registry::ToJson(record.person);
  json["status"] = record.status;
  json["events"] = nlohmann::json::array();
  for (const Event& event : record.events) json["events"].push_back(registry::ToJson(event));
  json["testimonies"] = nlohmann::json::array();
  for (const Testimony& testimony : record.testimonies) {
    json["testimonies"].push_back(registry::ToJson(testimony));
  }
  json["relations"] = nlohmann::json::array();
  for (const auto& relation : record.relations) {
    json["relations"].push_back(registry::ToJson(relation));
  }
  json["warnings"] = record.warnings;
  return json;
}

void PrintRecord(Context& context, const registry::Registry& registry, const PersonRecord& record) {
  std::ostream& out = context.out();
  const Person& person = record.person;
  out << fmt::format("{}  {}\n", person.public_id(), person.display_name());
  bool first = true;
  for (const auto& name : person.names) {
    out << fmt::format("  {:<12}{} ({}, {}{})\n", first ? "names:" : "", name.text,
                       names::ScriptName(name.script), registry::NamePartName(name.part),
                       name.source.empty() ? "" : ", " + name.source);
    first = false;
  }
  auto line = [&](std::string_view label, const std::string& value) {
    if (!value.empty()) out << fmt::format("  {:<12}{}\n", label, value);
  };
  line("external id:", person.external_id);
  line("gender:", std::string(registry::GenderName(person.gender)));
  line("born:", person.birth_date.ToString());
  line("ethnicity:", person.ethnicity);
  line("hometown:", PlaceLabel(registry.places(), person.hometown_code, person.hometown_text));
  line("occupation:", person.occupation);
  line("PRC ID:", person.prc_id);
  line("privacy:", std::string(registry::PrivacyName(person.privacy)));
  line("grade:", std::string(registry::GradeName(person.grade)));
  line("notes:", person.notes);
  line("status:", record.status);
  if (!record.events.empty()) out << "  events:\n";
  for (const Event& event : record.events) {
    out << fmt::format("    {:<18} {:<22} {}{}{}  [{}]\n",
                       event.date.unknown() ? "(date unknown)" : event.date.ToString(),
                       registry::EventTypeName(event.type),
                       PlaceLabel(registry.places(), event.place_code, event.place_text),
                       event.source_testimony_id != 0
                           ? " source " + FormatId(IdKind::kTestimony, event.source_testimony_id)
                           : "",
                       event.note.empty() ? "" : " — " + event.note, event.public_id());
  }
  if (!record.testimonies.empty()) out << "  testimonies:\n";
  for (const Testimony& testimony : record.testimonies) {
    std::string relation;
    for (const auto& mention : testimony.mentions) {
      if (mention.person_id == person.id) relation = mention.relation;
    }
    out << fmt::format("    {} {} {} {}, consent {}{}: {}\n", testimony.public_id(),
                       testimony.date.ToString(), registry::MediumName(testimony.medium),
                       testimony.language, registry::ConsentName(testimony.consent),
                       relation.empty() ? "" : ", testifier is " + relation, testimony.summary);
  }
  if (!record.relations.empty()) out << "  relations:\n";
  for (const auto& relation : record.relations) {
    bool outgoing = relation.from_person == person.id;
    registry::RelationKind kind = outgoing ? relation.kind : registry::Inverse(relation.kind);
    out << fmt::format("    {} of {}\n", registry::RelationKindName(kind),
                       FormatId(IdKind::kPerson, outgoing ? relation.to_person
                                                          : relation.from_person));
  }
  for (const std::string& warning : record.warnings) out << "  warning: " << warning << "\n";
}

// Names the fields an audit entry changed: "occupation, notes".
std::string ChangedFields(const registry::AuditEntry& entry) {
  if (entry.before.empty() || entry.after.empty()) return "";
  nlohmann::json before = nlohmann::json::parse(entry.before, nullptr, false);
  nlohmann::json after = nlohmann::json::parse(entry.after, nullptr, false);
  if (!before.is_object() || !after.is_object()) return "";
  std::string changed;
  for (const auto& [key, value] : after.items()) {
    if (key == "version" || key == "updated_at") continue;
    if (!before.contains(key) || before[key] != value) {
      changed += changed.empty() ? key : ", " + key;
    }
  }
  return changed;
}

void PrintStats(Context& context, const registry::Stats& stats) {
  std::ostream& out = context.out();
  auto table = [&](std::string_view title, const auto& counts) {
    out << title << ":\n";
    for (const auto& [key, count] : counts) {
      double share = stats.persons == 0 ? 0.0 : 100.0 * static_cast<double>(count) /
                                                    static_cast<double>(stats.persons);
      out << fmt::format("  {:<28}{:>9}  {:5.1f}%\n", fmt::format("{}", key), count, share);
    }
  };
  out << fmt::format("persons: {}\n", stats.persons);
  table("by current status", stats.by_status);
  table("by ethnicity", stats.by_ethnicity);
  table("by prefecture of hometown", stats.by_prefecture);
  table("by year of first detention", stats.by_detention_year);
  out << "Note: the registry holds who was reported, not a random sample of anyone.\n";
}

nlohmann::json StatsJson(const registry::Stats& stats) {
  nlohmann::json years = nlohmann::json::object();
  for (const auto& [year, count] : stats.by_detention_year) years[std::to_string(year)] = count;
  return {{"persons", stats.persons},       {"by_status", stats.by_status},
          {"by_ethnicity", stats.by_ethnicity}, {"by_prefecture", stats.by_prefecture},
          {"by_detention_year", years}};
}

}  // namespace

void AddRegistryCommands(CLI::App& app, Context& context, Action& action) {
  // init
  CLI::App* init = app.add_subcommand("init", "Create an empty registry database");
  init->callback([&] {
    action = [&]() -> Status {
      IZDE_RETURN_IF_ERROR(context.OpenRegistry(/*create=*/true).status());
      // The evidence vault's key, outside the database (docs/evidence.md); an existing key
      // is kept: replacing it would lose every file stored under it.
      std::string db = context.db_path;
      if (db.starts_with("sqlite:")) db = db.substr(7);
      const std::string key = store::DefaultVaultKeyPath(db);
      Status created = store::CreateVaultKey(key);
      if (!created.ok() && created.code() != StatusCode::kAlreadyExists) return created;
      if (context.json) {
        context.PrintJson({{"database", context.store().Describe()}, {"vault_key", key}});
      } else {
        context.out() << "Registry ready at " << context.store().Describe() << "\n";
        if (created.ok()) {
          context.out() << "Evidence vault key created at " << key
                        << ": keep a copy apart from the database; without it the evidence "
                           "cannot be read\n";
        }
      }
      return OkStatus();
    };
  });

  // summary
  CLI::App* summary = app.add_subcommand("summary", "What the registry holds, and how to use it");
  summary->callback([&] {
    action = [&]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      IZDE_ASSIGN_OR_RETURN(registry::StoreCounts counts, context.store().Counts());
      IZDE_ASSIGN_OR_RETURN(registry::Stats stats, registry->ComputeStats());
      if (context.json) {
        context.PrintJson({{"database", context.store().Describe()},
                           {"counts",
                            {{"persons", counts.persons},
                             {"names", counts.names},
                             {"testimonies", counts.testimonies},
                             {"events", counts.events},
                             {"relations", counts.relations},
                             {"audit_entries", counts.audit_entries}}},
                           {"stats", StatsJson(stats)}});
        return OkStatus();
      }
      std::ostream& out = context.out();
      out << fmt::format(
          "izde registry {}\n  {} persons ({} name forms), {} testimonies, {} events, "
          "{} relations, {} audit entries\n\n",
          context.store().Describe(), counts.persons, counts.names, counts.testimonies,
          counts.events, counts.relations, counts.audit_entries);
      PrintStats(context, stats);
      out << "\nTry:\n"
             "  build/izde person show P-000001       one person, with events and testimonies\n"
             "  build/izde history P-000001           who changed what, and when\n"
             "  build/izde stats --json               counts as JSON\n"
             "  build/izde export persons --public    what may be published\n"
             "  build/izde import persons FILE.csv    add persons (see docs/import-export.md)\n"
             "  build/izde --help                     every command\n";
      return OkStatus();
    };
  });

  // stats
  CLI::App* stats = app.add_subcommand(
      "stats", "Counts by current status, ethnicity, prefecture and year of detention");
  auto stats_public = std::make_shared<bool>(false);
  stats->add_flag("--public", *stats_public,
                  "Count only what the public may see (docs/privacy.md)");
  stats->callback([&, stats_public] {
    action = [&, stats_public]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      IZDE_ASSIGN_OR_RETURN(
          registry::Stats computed,
          registry->ComputeStats(*stats_public ? auth::StatsFilter(auth::Role::kAnonymous)
                                               : std::function<bool(const Person&)>()));
      if (context.json) {
        context.PrintJson(StatsJson(computed));
      } else {
        PrintStats(context, computed);
      }
      return OkStatus();
    };
  });

  // person show / add
  CLI::App* person = app.add_subcommand("person", "Show or add persons");
  person->require_subcommand(1);
  auto show_id = std::make_shared<std::string>();
  CLI::App* show = person->add_subcommand("show", "Show one person with events and testimonies");
  show->add_option("ID", *show_id, "P-000123, 123 or an external id")->required();
  show->callback([&, show_id] {
    action = [&, show_id]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      IZDE_ASSIGN_OR_RETURN(int64_t id, ResolvePersonId(context.store(), *show_id));
      IZDE_ASSIGN_OR_RETURN(PersonRecord record, registry->GetPersonRecord(id));
      if (context.json) {
        context.PrintJson(RecordJson(record));
      } else {
        PrintRecord(context, *registry, record);
      }
      return OkStatus();
    };
  });

  struct PersonFlags {
    std::vector<std::string> names;
    std::string external_id, gender, birth_date, ethnicity, hometown, occupation, prc_id,
        privacy, grade, notes;
  };
  auto flags = std::make_shared<PersonFlags>();
  CLI::App* add = person->add_subcommand("add", "Add a person");
  add->add_option("--name", flags->names, "A name in any script; repeat for each form")
      ->required();
  add->add_option("--external-id", flags->external_id, "Id in the source this entry comes from");
  add->add_option("--gender", flags->gender, "male, female or unknown");
  add->add_option("--birth-date", flags->birth_date, "1974, 1974-04, 12.04.1974, about 1974…");
  add->add_option("--ethnicity", flags->ethnicity, "kazakh, uyghur, kyrgyz, hui, …");
  add->add_option("--hometown", flags->hometown, "Place name in any script, or a division code");
  add->add_option("--occupation", flags->occupation);
  add->add_option("--prc-id", flags->prc_id, "18-character PRC resident ID number");
  add->add_option("--privacy", flags->privacy, "public, restricted (default) or private");
  add->add_option("--grade", flags->grade, "ungraded, reported, corroborated, documented");
  add->add_option("--notes", flags->notes, "Private notes");
  add->callback([&, flags] {
    action = [&, flags]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      Person draft;
      for (const std::string& name : flags->names) {
        draft.names.push_back({name, names::Script::kUnknown, registry::NamePart::kFull, "cli"});
      }
      draft.external_id = flags->external_id;
      IZDE_ASSIGN_OR_RETURN(draft.gender, registry::ParseGender(flags->gender));
      IZDE_ASSIGN_OR_RETURN(draft.birth_date, ParseDateField(flags->birth_date, "birth_date"));
      draft.ethnicity = flags->ethnicity;
      if (registry->places().Find(flags->hometown) != nullptr) {
        draft.hometown_code = flags->hometown;
      } else {
        draft.hometown_text = flags->hometown;
      }
      draft.occupation = flags->occupation;
      draft.prc_id = flags->prc_id;
      IZDE_ASSIGN_OR_RETURN(draft.privacy, registry::ParsePrivacy(flags->privacy));
      IZDE_ASSIGN_OR_RETURN(draft.grade, registry::ParseGrade(flags->grade));
      draft.notes = flags->notes;
      IZDE_ASSIGN_OR_RETURN(Person added, registry->AddPerson(draft, context.actor()));
      std::vector<std::string> warnings = registry->Warnings(added);
      if (context.json) {
        context.PrintJson({{"person", registry::ToJson(added)}, {"warnings", warnings}});
      } else {
        context.out() << "Added " << added.public_id() << "  " << added.display_name() << "\n";
        for (const std::string& warning : warnings) context.out() << "warning: " << warning << "\n";
      }
      return OkStatus();
    };
  });

  // event add
  struct EventFlags {
    std::string person, type, date, place, testimony, source, note;
  };
  auto event_flags = std::make_shared<EventFlags>();
  CLI::App* event = app.add_subcommand("event", "Add status events");
  event->require_subcommand(1);
  CLI::App* event_add = event->add_subcommand("add", "Record an event in a person's history");
  event_add->add_option("--person", event_flags->person, "P-000123 or an external id")
      ->required();
  event_add->add_option("--type", event_flags->type,
                        "last_contact, detained, camp, prison, sentenced, released, "
                        "house_arrest, passport_confiscated, permitted_to_leave, left_china, "
                        "arrived_abroad, citizenship_applied, citizenship_granted, deceased, "
                        "other")
      ->required();
  event_add->add_option("--date", event_flags->date, "2018, 2018-04, 2017-04..2017-06, …");
  event_add->add_option("--place", event_flags->place, "Place or facility");
  event_add->add_option("--testimony", event_flags->testimony, "Source testimony T-000123");
  event_add->add_option("--source", event_flags->source, "Source document or link");
  event_add->add_option("--note", event_flags->note);
  event_add->callback([&, event_flags] {
    action = [&, event_flags]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      Event draft;
      IZDE_ASSIGN_OR_RETURN(draft.person_id, ResolvePersonId(context.store(), event_flags->person));
      IZDE_ASSIGN_OR_RETURN(draft.type, registry::ParseEventType(event_flags->type));
      IZDE_ASSIGN_OR_RETURN(draft.date, ParseDateField(event_flags->date, "date"));
      draft.place_text = event_flags->place;
      if (!event_flags->testimony.empty()) {
        IZDE_ASSIGN_OR_RETURN(draft.source_testimony_id,
                              ParseId(IdKind::kTestimony, event_flags->testimony));
      }
      draft.source = event_flags->source;
      draft.note = event_flags->note;
      IZDE_ASSIGN_OR_RETURN(Event added, registry->AddEvent(draft, context.actor()));
      if (context.json) {
        context.PrintJson(registry::ToJson(added));
      } else {
        context.out() << "Added " << added.public_id() << " to "
                      << FormatId(IdKind::kPerson, added.person_id) << "\n";
      }
      return OkStatus();
    };
  });

  // testimony add
  struct TestimonyFlags {
    std::vector<std::string> persons;
    std::string testifier, contact, date, language, medium, summary, transcript, link, consent,
        external_id;
  };
  auto testimony_flags = std::make_shared<TestimonyFlags>();
  CLI::App* testimony = app.add_subcommand("testimony", "Record testimonies");
  testimony->require_subcommand(1);
  CLI::App* testimony_add = testimony->add_subcommand("add", "Record a testimony");
  testimony_add
      ->add_option("--person", testimony_flags->persons,
                   "PERSON[:RELATION], e.g. P-000004:son; repeat for each person concerned")
      ->required();
  testimony_add->add_option("--testifier", testimony_flags->testifier, "Who testified (private)");
  testimony_add->add_option("--contact", testimony_flags->contact, "Their contact (private)");
  testimony_add->add_option("--date", testimony_flags->date);
  testimony_add->add_option("--language", testimony_flags->language, "kk, ug, ru, zh, en, …");
  testimony_add->add_option("--medium", testimony_flags->medium,
                            "video, letter, interview, document, other");
  testimony_add->add_option("--summary", testimony_flags->summary);
  testimony_add->add_option("--transcript", testimony_flags->transcript);
  testimony_add->add_option("--link", testimony_flags->link);
  testimony_add->add_option("--consent", testimony_flags->consent,
                            "publish, anonymise or private (default)");
  testimony_add->add_option("--external-id", testimony_flags->external_id);
  testimony_add->callback([&, testimony_flags] {
    action = [&, testimony_flags]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      Testimony draft;
      for (const std::string& item : testimony_flags->persons) {
        size_t colon = item.find(':');
        std::string who = item.substr(0, colon);
        IZDE_ASSIGN_OR_RETURN(int64_t person_id, ResolvePersonId(context.store(), who));
        draft.mentions.push_back(
            {person_id, colon == std::string::npos ? "" : item.substr(colon + 1)});
      }
      draft.testifier_name = testimony_flags->testifier;
      draft.testifier_contact = testimony_flags->contact;
      IZDE_ASSIGN_OR_RETURN(draft.date, ParseDateField(testimony_flags->date, "date"));
      draft.language = testimony_flags->language;
      IZDE_ASSIGN_OR_RETURN(draft.medium, registry::ParseMedium(testimony_flags->medium));
      draft.summary = testimony_flags->summary;
      draft.transcript = testimony_flags->transcript;
      draft.link = testimony_flags->link;
      IZDE_ASSIGN_OR_RETURN(draft.consent, registry::ParseConsent(testimony_flags->consent));
      draft.external_id = testimony_flags->external_id;
      IZDE_ASSIGN_OR_RETURN(Testimony added, registry->RecordTestimony(draft, context.actor()));
      if (context.json) {
        context.PrintJson(registry::ToJson(added));
      } else {
        context.out() << "Recorded " << added.public_id() << " about "
                      << added.mentions.size() << " person(s)\n";
      }
      return OkStatus();
    };
  });

  // history
  auto history_id = std::make_shared<std::string>();
  CLI::App* history =
      app.add_subcommand("history", "The audit trail of a record: who changed what, when");
  history->add_option("ID", *history_id, "P-000123 (with its events), E-…, T-…")->required();
  history->callback([&, history_id] {
    action = [&, history_id]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      std::string entity = *history_id;
      if (!entity.empty() && std::isdigit(static_cast<unsigned char>(entity[0]))) {
        IZDE_ASSIGN_OR_RETURN(int64_t id, ParseId(IdKind::kPerson, entity));
        entity = FormatId(IdKind::kPerson, id);
      } else if (entity.size() > 1 && entity[1] == '-') {
        entity[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(entity[0])));
      }
      IZDE_ASSIGN_OR_RETURN(auto entries, registry->History(entity));
      if (entries.empty()) return NotFoundError(fmt::format("no history for '{}'", entity));
      if (context.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& entry : entries) list.push_back(registry::ToJson(entry));
        context.PrintJson(list);
        return OkStatus();
      }
      for (const auto& entry : entries) {
        std::string changed = ChangedFields(entry);
        context.out() << fmt::format("#{:<6} {}  {:<16} {:<18} {}{}{}\n", entry.id, entry.at,
                                     entry.actor, entry.action, entry.entity,
                                     changed.empty() ? "" : "  changed: " + changed,
                                     entry.note.empty() ? "" : "  (" + entry.note + ")");
      }
      context.out() << "Undo one change with `izde revert AUDIT_ID`.\n";
      return OkStatus();
    };
  });

  // revert
  auto audit_id = std::make_shared<int64_t>(0);
  CLI::App* revert = app.add_subcommand(
      "revert", "Undo the change recorded by one audit entry (as a new, audited change)");
  revert->add_option("AUDIT_ID", *audit_id, "The # number shown by `izde history`")->required();
  revert->callback([&, audit_id] {
    action = [&, audit_id]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      IZDE_ASSIGN_OR_RETURN(int64_t entry, registry->Revert(*audit_id, context.actor()));
      if (context.json) {
        context.PrintJson({{"reverted", *audit_id}, {"audit_entry", entry}});
      } else {
        context.out() << fmt::format("Reverted #{} (recorded as #{})\n", *audit_id, entry);
      }
      return OkStatus();
    };
  });
}

}  // namespace izde::cli
