#include "store/sqlite/sqlite_store.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "store/row_values.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_evidence.h"
#include "store/sqlite/sqlite_linkage.h"
#include "store/sqlite/sqlite_users.h"

namespace izde::store {

using internal::NowIso;
using internal::SqliteConnection;
using internal::Statement;
using internal::Stored;
using registry::AuditEntry;
using registry::Event;
using registry::Mention;
using registry::Person;
using registry::PersonName;
using registry::Relation;
using registry::Testimony;

namespace {

constexpr std::string_view kPersonColumns =
    "id, external_id, gender, birth_date, ethnicity, hometown_code, hometown_text, occupation, "
    "prc_id, privacy, grade, notes, version, created_at, updated_at";

Result<Person> ReadPerson(const Statement& row) {
  Person person;
  person.id = row.Int(0);
  person.external_id = row.Text(1);
  IZDE_ASSIGN_OR_RETURN(person.gender,
                        Stored(registry::ParseGender(row.Text(2)), "persons", person.id));
  IZDE_ASSIGN_OR_RETURN(person.birth_date,
                        Stored(PartialDate::Parse(row.Text(3)), "persons", person.id));
  person.ethnicity = row.Text(4);
  person.hometown_code = row.Text(5);
  person.hometown_text = row.Text(6);
  person.occupation = row.Text(7);
  person.prc_id = row.Text(8);
  IZDE_ASSIGN_OR_RETURN(person.privacy,
                        Stored(registry::ParsePrivacy(row.Text(9)), "persons", person.id));
  IZDE_ASSIGN_OR_RETURN(person.grade,
                        Stored(registry::ParseGrade(row.Text(10)), "persons", person.id));
  person.notes = row.Text(11);
  person.version = row.Int(12);
  person.created_at = row.Text(13);
  person.updated_at = row.Text(14);
  return person;
}

// Columns: person_id, text, script, part, source.
Result<PersonName> ReadName(const Statement& row) {
  PersonName name;
  name.text = row.Text(1);
  IZDE_ASSIGN_OR_RETURN(name.script,
                        Stored(names::ParseScript(row.Text(2)), "person_names", row.Int(0)));
  IZDE_ASSIGN_OR_RETURN(name.part,
                        Stored(registry::ParseNamePart(row.Text(3)), "person_names", row.Int(0)));
  name.source = row.Text(4);
  return name;
}

constexpr std::string_view kEventColumns =
    "id, person_id, type, date, place_code, place_text, testimony_id, source, note, version, "
    "created_at";

Result<Event> ReadEvent(const Statement& row) {
  Event event;
  event.id = row.Int(0);
  event.person_id = row.Int(1);
  IZDE_ASSIGN_OR_RETURN(event.type,
                        Stored(registry::ParseEventType(row.Text(2)), "events", event.id));
  IZDE_ASSIGN_OR_RETURN(event.date, Stored(PartialDate::Parse(row.Text(3)), "events", event.id));
  event.place_code = row.Text(4);
  event.place_text = row.Text(5);
  event.source_testimony_id = row.Int(6);
  event.source = row.Text(7);
  event.note = row.Text(8);
  event.version = row.Int(9);
  event.created_at = row.Text(10);
  return event;
}

constexpr std::string_view kTestimonyColumns =
    "id, external_id, testifier_name, testifier_contact, date, language, medium, summary, "
    "transcript, link, consent, version, created_at";

Result<Testimony> ReadTestimony(const Statement& row) {
  Testimony testimony;
  testimony.id = row.Int(0);
  testimony.external_id = row.Text(1);
  testimony.testifier_name = row.Text(2);
  testimony.testifier_contact = row.Text(3);
  IZDE_ASSIGN_OR_RETURN(testimony.date,
                        Stored(PartialDate::Parse(row.Text(4)), "testimonies", testimony.id));
  testimony.language = row.Text(5);
  IZDE_ASSIGN_OR_RETURN(testimony.medium,
                        Stored(registry::ParseMedium(row.Text(6)), "testimonies", testimony.id));
  testimony.summary = row.Text(7);
  testimony.transcript = row.Text(8);
  testimony.link = row.Text(9);
  IZDE_ASSIGN_OR_RETURN(testimony.consent,
                        Stored(registry::ParseConsent(row.Text(10)), "testimonies", testimony.id));
  testimony.version = row.Int(11);
  testimony.created_at = row.Text(12);
  return testimony;
}

Result<Relation> ReadRelation(const Statement& row) {
  Relation relation;
  relation.id = row.Int(0);
  relation.from_person = row.Int(1);
  relation.to_person = row.Int(2);
  IZDE_ASSIGN_OR_RETURN(relation.kind,
                        Stored(registry::ParseRelationKind(row.Text(3)), "relations", relation.id));
  relation.note = row.Text(4);
  return relation;
}

AuditEntry ReadAudit(const Statement& row) {
  AuditEntry entry;
  entry.id = row.Int(0);
  entry.at = row.Text(1);
  entry.actor = row.Text(2);
  entry.action = row.Text(3);
  entry.entity = row.Text(4);
  entry.person = row.Text(5);
  // A person's own entries are stored without the repetition (see AppendAudit).
  if (entry.person.empty() && ParseId(IdKind::kPerson, entry.entity).ok()) {
    entry.person = entry.entity;
  }
  entry.before = row.Text(6);
  entry.after = row.Text(7);
  entry.note = row.Text(8);
  return entry;
}

}  // namespace

namespace internal {

// Every read and write, on one connection whose access the caller serialises.
class Operations {
 public:
  explicit Operations(SqliteConnection& connection) : c_(connection) {}

  Result<Person> GetPerson(int64_t id) {
    Person person;
    {
      IZDE_ASSIGN_OR_RETURN(
          Statement stmt,
          c_.Prepare(fmt::format("SELECT {} FROM persons WHERE id = ?", kPersonColumns)));
      stmt.Bind(1, id);
      IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return NotFoundError(fmt::format("no person {}", FormatId(IdKind::kPerson, id)));
      IZDE_ASSIGN_OR_RETURN(person, ReadPerson(stmt));
    }
    IZDE_ASSIGN_OR_RETURN(Statement names,
                          c_.Prepare("SELECT person_id, text, script, part, source FROM "
                                     "person_names WHERE person_id = ? ORDER BY position"));
    names.Bind(1, id);
    while (true) {
      IZDE_ASSIGN_OR_RETURN(bool row, names.Step());
      if (!row) break;
      IZDE_ASSIGN_OR_RETURN(PersonName name, ReadName(names));
      person.names.push_back(std::move(name));
    }
    return person;
  }

  // Store::GetPersons: one query per table for up to kBatch ids. The list of ids is padded
  // (with its last id) to a few fixed lengths, so that the statement cache holds three
  // statements, not one per page size.
  Result<std::vector<Person>> GetPersons(const std::vector<int64_t>& ids) {
    constexpr size_t kBatch = 256;
    std::unordered_map<int64_t, Person> found;
    for (size_t start = 0; start < ids.size(); start += kBatch) {
      const size_t count = std::min(kBatch, ids.size() - start);
      const size_t slots = count <= 16 ? 16 : count <= 64 ? 64 : kBatch;
      std::string marks = "?";
      for (size_t slot = 1; slot < slots; ++slot) marks += ",?";
      auto bind = [&](Statement& stmt) {
        for (size_t slot = 0; slot < slots; ++slot) {
          stmt.Bind(static_cast<int>(slot + 1), ids[start + std::min(slot, count - 1)]);
        }
      };
      IZDE_ASSIGN_OR_RETURN(Statement persons,
                            c_.Prepare(fmt::format("SELECT {} FROM persons WHERE id IN ({})",
                                                   kPersonColumns, marks)));
      bind(persons);
      while (true) {
        IZDE_ASSIGN_OR_RETURN(bool row, persons.Step());
        if (!row) break;
        IZDE_ASSIGN_OR_RETURN(Person person, ReadPerson(persons));
        found[person.id] = std::move(person);
      }
      IZDE_ASSIGN_OR_RETURN(
          Statement names,
          c_.Prepare(fmt::format("SELECT person_id, text, script, part, source FROM person_names "
                                 "WHERE person_id IN ({}) ORDER BY person_id, position",
                                 marks)));
      bind(names);
      while (true) {
        IZDE_ASSIGN_OR_RETURN(bool row, names.Step());
        if (!row) break;
        auto person = found.find(names.Int(0));
        if (person == found.end()) continue;  // inserted between the two queries: not read
        IZDE_ASSIGN_OR_RETURN(PersonName name, ReadName(names));
        person->second.names.push_back(std::move(name));
      }
    }
    return internal::InOrderAsked(ids, found);
  }

  Result<Testimony> GetTestimony(int64_t id) {
    Testimony testimony;
    {
      IZDE_ASSIGN_OR_RETURN(
          Statement stmt,
          c_.Prepare(fmt::format("SELECT {} FROM testimonies WHERE id = ?", kTestimonyColumns)));
      stmt.Bind(1, id);
      IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) {
        return NotFoundError(fmt::format("no testimony {}", FormatId(IdKind::kTestimony, id)));
      }
      IZDE_ASSIGN_OR_RETURN(testimony, ReadTestimony(stmt));
    }
    IZDE_RETURN_IF_ERROR(ReadMentions(testimony));
    return testimony;
  }

  Status ReadMentions(Testimony& testimony) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt, c_.Prepare("SELECT person_id, relation FROM mentions "
                                                     "WHERE testimony_id = ? ORDER BY position"));
    stmt.Bind(1, testimony.id);
    while (true) {
      IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      testimony.mentions.push_back(Mention{stmt.Int(0), stmt.Text(1)});
    }
    return OkStatus();
  }

  Result<Event> GetEvent(int64_t id) {
    IZDE_ASSIGN_OR_RETURN(
        Statement stmt,
        c_.Prepare(fmt::format("SELECT {} FROM events WHERE id = ?", kEventColumns)));
    stmt.Bind(1, id);
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NotFoundError(fmt::format("no event {}", FormatId(IdKind::kEvent, id)));
    return ReadEvent(stmt);
  }

  Result<Relation> GetRelation(int64_t id) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt,
                          c_.Prepare("SELECT id, from_person, to_person, kind, note "
                                     "FROM relations WHERE id = ?"));
    stmt.Bind(1, id);
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) {
      return NotFoundError(fmt::format("no relation {}", FormatId(IdKind::kRelation, id)));
    }
    return ReadRelation(stmt);
  }

  Result<int64_t> FindByExternalId(std::string_view table, std::string_view external_id) {
    IZDE_ASSIGN_OR_RETURN(
        Statement stmt, c_.Prepare(fmt::format("SELECT id FROM {} WHERE external_id = ?", table)));
    stmt.Bind(1, external_id);
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) {
      return NotFoundError(
          fmt::format("no record with external id '{}' in {}", external_id, table));
    }
    return stmt.Int(0);
  }

  Result<std::vector<Event>> EventsOfPerson(int64_t person_id) {
    IZDE_ASSIGN_OR_RETURN(
        Statement stmt,
        c_.Prepare(
            fmt::format("SELECT {} FROM events WHERE person_id = ? ORDER BY id", kEventColumns)));
    stmt.Bind(1, person_id);
    std::vector<Event> events;
    while (true) {
      IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      IZDE_ASSIGN_OR_RETURN(Event event, ReadEvent(stmt));
      events.push_back(std::move(event));
    }
    return events;
  }

  Result<std::vector<Testimony>> TestimoniesOfPerson(int64_t person_id) {
    std::vector<Testimony> testimonies;
    {
      IZDE_ASSIGN_OR_RETURN(
          Statement stmt,
          c_.Prepare(fmt::format("SELECT {} FROM testimonies WHERE id IN (SELECT testimony_id "
                                 "FROM mentions WHERE person_id = ?) ORDER BY id",
                                 kTestimonyColumns)));
      stmt.Bind(1, person_id);
      while (true) {
        IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        IZDE_ASSIGN_OR_RETURN(Testimony testimony, ReadTestimony(stmt));
        testimonies.push_back(std::move(testimony));
      }
    }
    for (Testimony& testimony : testimonies) IZDE_RETURN_IF_ERROR(ReadMentions(testimony));
    return testimonies;
  }

  Result<std::vector<Relation>> RelationsOfPerson(int64_t person_id) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt,
                          c_.Prepare("SELECT id, from_person, to_person, kind, note FROM relations "
                                     "WHERE from_person = ?1 OR to_person = ?1 ORDER BY id"));
    stmt.Bind(1, person_id);
    std::vector<Relation> relations;
    while (true) {
      IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      IZDE_ASSIGN_OR_RETURN(Relation relation, ReadRelation(stmt));
      relations.push_back(std::move(relation));
    }
    return relations;
  }

  static constexpr std::string_view kAuditColumns =
      "id, at, actor, action, entity, person, before, after, note";

  Result<std::vector<AuditEntry>> History(std::string_view entity) {
    IZDE_ASSIGN_OR_RETURN(
        Statement stmt,
        c_.Prepare(fmt::format("SELECT {} FROM audit WHERE entity = ?1 OR person = ?1 "
                               "ORDER BY id",
                               kAuditColumns)));
    stmt.Bind(1, entity);
    std::vector<AuditEntry> entries;
    while (true) {
      IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      entries.push_back(ReadAudit(stmt));
    }
    return entries;
  }

  Result<AuditEntry> GetAuditEntry(int64_t id) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt, c_.Prepare(fmt::format(
                                              "SELECT {} FROM audit WHERE id = ?", kAuditColumns)));
    stmt.Bind(1, id);
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NotFoundError(fmt::format("no audit entry {}", id));
    return ReadAudit(stmt);
  }

  Result<int64_t> Count(std::string_view table) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt,
                          c_.Prepare(fmt::format("SELECT count(*) FROM {}", table)));
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row ? stmt.Int(0) : 0;
  }

  Result<int64_t> CountPersons() { return Count("persons"); }

  Result<registry::StoreCounts> Counts() {
    registry::StoreCounts counts;
    IZDE_ASSIGN_OR_RETURN(counts.persons, Count("persons"));
    IZDE_ASSIGN_OR_RETURN(counts.names, Count("person_names"));
    IZDE_ASSIGN_OR_RETURN(counts.testimonies, Count("testimonies"));
    IZDE_ASSIGN_OR_RETURN(counts.events, Count("events"));
    IZDE_ASSIGN_OR_RETURN(counts.relations, Count("relations"));
    IZDE_ASSIGN_OR_RETURN(counts.audit_entries, Count("audit"));
    return counts;
  }

  // --- writes -------------------------------------------------------------------------

  Result<int64_t> InsertPerson(const Person& person) {
    const std::string& now = Now();
    {
      IZDE_ASSIGN_OR_RETURN(
          Statement stmt,
          c_.Prepare("INSERT INTO persons (id, external_id, gender, birth_date, birth_from, "
                     "birth_to, ethnicity, hometown_code, hometown_text, occupation, prc_id, "
                     "privacy, grade, notes, version, created_at, updated_at) VALUES "
                     "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
      BindPerson(stmt, person);
      stmt.BindIdOrNull(1, person.id);
      stmt.Bind(15, person.version);
      stmt.Bind(16, person.created_at.empty() ? now : person.created_at);
      stmt.Bind(17, person.updated_at.empty() ? now : person.updated_at);
      IZDE_RETURN_IF_ERROR(stmt.Run());
    }
    int64_t id = sqlite3_last_insert_rowid(c_.db());
    IZDE_RETURN_IF_ERROR(InsertNames(id, person.names));
    return id;
  }

  Status UpdatePerson(const Person& person) {
    {
      IZDE_ASSIGN_OR_RETURN(
          Statement stmt,
          c_.Prepare("UPDATE persons SET external_id = ?2, gender = ?3, birth_date = ?4, "
                     "birth_from = ?5, birth_to = ?6, ethnicity = ?7, hometown_code = ?8, "
                     "hometown_text = ?9, occupation = ?10, prc_id = ?11, privacy = ?12, "
                     "grade = ?13, notes = ?14, version = version + 1, updated_at = ?15 "
                     "WHERE id = ?1 AND version = ?16"));
      BindPerson(stmt, person);
      stmt.Bind(1, person.id);
      stmt.BindStable(15, Now());
      stmt.Bind(16, person.version);
      IZDE_RETURN_IF_ERROR(stmt.Run());
    }
    if (sqlite3_changes(c_.db()) == 0) return VersionConflict("persons", person.id, person.version);
    {
      IZDE_ASSIGN_OR_RETURN(Statement stmt,
                            c_.Prepare("DELETE FROM person_names WHERE person_id = ?"));
      stmt.Bind(1, person.id);
      IZDE_RETURN_IF_ERROR(stmt.Run());
    }
    return InsertNames(person.id, person.names);
  }

  Status DeletePerson(int64_t id) {
    for (auto [sql, what] :
         {std::pair{"SELECT count(*) FROM events WHERE person_id = ?1", "events"},
          {"SELECT count(*) FROM mentions WHERE person_id = ?1", "testimonies"},
          {"SELECT count(*) FROM relations WHERE from_person = ?1 OR "
           "to_person = ?1",
           "relations"}}) {
      IZDE_ASSIGN_OR_RETURN(Statement stmt, c_.Prepare(sql));
      stmt.Bind(1, id);
      IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (row && stmt.Int(0) > 0) {
        return FailedPreconditionError(fmt::format(
            "person {} still has {} {}", FormatId(IdKind::kPerson, id), stmt.Int(0), what));
      }
    }
    return DeleteRow("persons", id);
  }

  Result<int64_t> InsertTestimony(const Testimony& testimony) {
    {
      IZDE_ASSIGN_OR_RETURN(
          Statement stmt,
          c_.Prepare("INSERT INTO testimonies (id, external_id, testifier_name, "
                     "testifier_contact, date, language, medium, summary, transcript, link, "
                     "consent, version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
      BindTestimony(stmt, testimony);
      stmt.BindIdOrNull(1, testimony.id);
      stmt.Bind(12, testimony.version);
      stmt.Bind(13, testimony.created_at.empty() ? Now() : testimony.created_at);
      IZDE_RETURN_IF_ERROR(stmt.Run());
    }
    int64_t id = sqlite3_last_insert_rowid(c_.db());
    IZDE_RETURN_IF_ERROR(InsertMentions(id, testimony.mentions));
    return id;
  }

  Status UpdateTestimony(const Testimony& testimony) {
    {
      IZDE_ASSIGN_OR_RETURN(
          Statement stmt,
          c_.Prepare("UPDATE testimonies SET external_id = ?2, testifier_name = ?3, "
                     "testifier_contact = ?4, date = ?5, language = ?6, medium = ?7, "
                     "summary = ?8, transcript = ?9, link = ?10, consent = ?11, "
                     "version = version + 1 WHERE id = ?1 AND version = ?12"));
      BindTestimony(stmt, testimony);
      stmt.Bind(1, testimony.id);
      stmt.Bind(12, testimony.version);
      IZDE_RETURN_IF_ERROR(stmt.Run());
    }
    if (sqlite3_changes(c_.db()) == 0) {
      return VersionConflict("testimonies", testimony.id, testimony.version);
    }
    {
      IZDE_ASSIGN_OR_RETURN(Statement stmt,
                            c_.Prepare("DELETE FROM mentions WHERE testimony_id = ?"));
      stmt.Bind(1, testimony.id);
      IZDE_RETURN_IF_ERROR(stmt.Run());
    }
    return InsertMentions(testimony.id, testimony.mentions);
  }

  Status DeleteTestimony(int64_t id) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt,
                          c_.Prepare("SELECT count(*) FROM events WHERE testimony_id = ?"));
    stmt.Bind(1, id);
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row && stmt.Int(0) > 0) {
      return FailedPreconditionError(fmt::format("testimony {} is the source of {} events",
                                                 FormatId(IdKind::kTestimony, id), stmt.Int(0)));
    }
    return DeleteRow("testimonies", id);
  }

  Result<int64_t> InsertEvent(const Event& event) {
    IZDE_ASSIGN_OR_RETURN(
        Statement stmt,
        c_.Prepare("INSERT INTO events (id, person_id, type, date, date_from, date_to, "
                   "place_code, place_text, testimony_id, source, note, version, created_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    BindEvent(stmt, event);
    stmt.BindIdOrNull(1, event.id);
    stmt.Bind(12, event.version);
    stmt.Bind(13, event.created_at.empty() ? Now() : event.created_at);
    IZDE_RETURN_IF_ERROR(stmt.Run());
    return sqlite3_last_insert_rowid(c_.db());
  }

  Status UpdateEvent(const Event& event) {
    {
      IZDE_ASSIGN_OR_RETURN(
          Statement stmt,
          c_.Prepare("UPDATE events SET person_id = ?2, type = ?3, date = ?4, date_from = ?5, "
                     "date_to = ?6, place_code = ?7, place_text = ?8, testimony_id = ?9, "
                     "source = ?10, note = ?11, version = version + 1 "
                     "WHERE id = ?1 AND version = ?12"));
      BindEvent(stmt, event);
      stmt.Bind(1, event.id);
      stmt.Bind(12, event.version);
      IZDE_RETURN_IF_ERROR(stmt.Run());
    }
    if (sqlite3_changes(c_.db()) == 0) return VersionConflict("events", event.id, event.version);
    return OkStatus();
  }

  Result<int64_t> InsertRelation(const Relation& relation) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt,
                          c_.Prepare("INSERT INTO relations (id, from_person, to_person, kind, "
                                     "note) VALUES (?,?,?,?,?)"));
    stmt.BindIdOrNull(1, relation.id);
    stmt.Bind(2, relation.from_person);
    stmt.Bind(3, relation.to_person);
    stmt.BindStable(4, registry::RelationKindName(relation.kind));
    stmt.Bind(5, relation.note);
    IZDE_RETURN_IF_ERROR(stmt.Run());
    return sqlite3_last_insert_rowid(c_.db());
  }

  Result<int64_t> AppendAudit(const AuditEntry& entry) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt,
                          c_.Prepare("INSERT INTO audit (at, actor, action, entity, person, "
                                     "before, after, note) VALUES (?,?,?,?,?,?,?,?)"));
    stmt.BindStable(1, Now());
    stmt.BindStable(2, entry.actor);
    stmt.BindStable(3, entry.action);
    stmt.BindStable(4, entry.entity);
    // An entry about a person itself (entity == person) stores person as '': the entity
    // index finds it, and the partial index on person stays for entries about its events.
    stmt.BindStable(5, entry.person == entry.entity ? std::string_view("") : entry.person);
    stmt.BindStable(6, entry.before);
    stmt.BindStable(7, entry.after);
    stmt.BindStable(8, entry.note);
    IZDE_RETURN_IF_ERROR(stmt.Run());
    return sqlite3_last_insert_rowid(c_.db());
  }

  Status DeleteRow(std::string_view table, int64_t id) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt,
                          c_.Prepare(fmt::format("DELETE FROM {} WHERE id = ?", table)));
    stmt.Bind(1, id);
    IZDE_RETURN_IF_ERROR(stmt.Run());
    if (sqlite3_changes(c_.db()) == 0) {
      return NotFoundError(fmt::format("no row {} in {}", id, table));
    }
    return OkStatus();
  }

  // --- scans ----------------------------------------------------------------------------

  Status ScanPersons(const registry::PersonVisitor& visit) {
    IZDE_ASSIGN_OR_RETURN(
        Statement persons,
        c_.Prepare(fmt::format("SELECT {} FROM persons ORDER BY id", kPersonColumns)));
    IZDE_ASSIGN_OR_RETURN(Statement names,
                          c_.Prepare("SELECT person_id, text, script, part, source FROM "
                                     "person_names ORDER BY person_id, position"));
    IZDE_ASSIGN_OR_RETURN(
        Statement events,
        c_.Prepare(fmt::format("SELECT {} FROM events ORDER BY person_id, id", kEventColumns)));
    // Three cursors in person order, merged: one pass over each table.
    IZDE_ASSIGN_OR_RETURN(bool names_row, names.Step());
    IZDE_ASSIGN_OR_RETURN(bool events_row, events.Step());
    std::vector<Event> person_events;
    while (true) {
      IZDE_ASSIGN_OR_RETURN(bool row, persons.Step());
      if (!row) break;
      IZDE_ASSIGN_OR_RETURN(Person person, ReadPerson(persons));
      while (names_row && names.Int(0) <= person.id) {
        if (names.Int(0) == person.id) {
          IZDE_ASSIGN_OR_RETURN(PersonName name, ReadName(names));
          person.names.push_back(std::move(name));
        }
        IZDE_ASSIGN_OR_RETURN(names_row, names.Step());
      }
      person_events.clear();
      while (events_row && events.Int(1) <= person.id) {
        if (events.Int(1) == person.id) {
          IZDE_ASSIGN_OR_RETURN(Event event, ReadEvent(events));
          person_events.push_back(std::move(event));
        }
        IZDE_ASSIGN_OR_RETURN(events_row, events.Step());
      }
      IZDE_RETURN_IF_ERROR(visit(person, person_events));
    }
    return OkStatus();
  }

  Status ScanTestimonies(const registry::TestimonyVisitor& visit) {
    IZDE_ASSIGN_OR_RETURN(
        Statement testimonies,
        c_.Prepare(fmt::format("SELECT {} FROM testimonies ORDER BY id", kTestimonyColumns)));
    IZDE_ASSIGN_OR_RETURN(Statement mentions,
                          c_.Prepare("SELECT testimony_id, person_id, relation FROM mentions "
                                     "ORDER BY testimony_id, position"));
    IZDE_ASSIGN_OR_RETURN(bool mentions_row, mentions.Step());
    while (true) {
      IZDE_ASSIGN_OR_RETURN(bool row, testimonies.Step());
      if (!row) break;
      IZDE_ASSIGN_OR_RETURN(Testimony testimony, ReadTestimony(testimonies));
      while (mentions_row && mentions.Int(0) <= testimony.id) {
        if (mentions.Int(0) == testimony.id) {
          testimony.mentions.push_back(Mention{mentions.Int(1), mentions.Text(2)});
        }
        IZDE_ASSIGN_OR_RETURN(mentions_row, mentions.Step());
      }
      IZDE_RETURN_IF_ERROR(visit(testimony));
    }
    return OkStatus();
  }

  Status ScanEvents(const registry::EventVisitor& visit) {
    IZDE_ASSIGN_OR_RETURN(
        Statement events,
        c_.Prepare(fmt::format("SELECT {} FROM events ORDER BY id", kEventColumns)));
    while (true) {
      IZDE_ASSIGN_OR_RETURN(bool row, events.Step());
      if (!row) break;
      IZDE_ASSIGN_OR_RETURN(Event event, ReadEvent(events));
      IZDE_RETURN_IF_ERROR(visit(event));
    }
    return OkStatus();
  }

 private:
  // One timestamp per transaction: every write of one change happens at the same instant,
  // and a bulk import does not format the clock a million times.
  const std::string& Now() {
    if (now_.empty()) now_ = NowIso();
    return now_;
  }

  // Parameters 2..14 of the person statements.
  static void BindPerson(Statement& stmt, const Person& person) {
    stmt.BindTextOrNull(2, person.external_id);
    stmt.BindStable(3, registry::GenderName(person.gender));
    stmt.Bind(4, person.birth_date.ToString());
    if (person.birth_date.unknown()) {
      stmt.BindNull(5).BindNull(6);
    } else {
      stmt.Bind(5, int64_t{person.birth_date.EarliestDay()});
      stmt.Bind(6, int64_t{person.birth_date.LatestDay()});
    }
    stmt.BindStable(7, person.ethnicity);
    stmt.BindStable(8, person.hometown_code);
    stmt.BindStable(9, person.hometown_text);
    stmt.BindStable(10, person.occupation);
    stmt.BindStable(11, person.prc_id);
    stmt.BindStable(12, registry::PrivacyName(person.privacy));
    stmt.BindStable(13, registry::GradeName(person.grade));
    stmt.BindStable(14, person.notes);
  }

  // Parameters 2..11 of the testimony statements.
  static void BindTestimony(Statement& stmt, const Testimony& testimony) {
    stmt.BindTextOrNull(2, testimony.external_id);
    stmt.BindStable(3, testimony.testifier_name);
    stmt.BindStable(4, testimony.testifier_contact);
    stmt.Bind(5, testimony.date.ToString());
    stmt.BindStable(6, testimony.language);
    stmt.BindStable(7, registry::MediumName(testimony.medium));
    stmt.BindStable(8, testimony.summary);
    stmt.BindStable(9, testimony.transcript);
    stmt.BindStable(10, testimony.link);
    stmt.BindStable(11, registry::ConsentName(testimony.consent));
  }

  // Parameters 2..11 of the event statements.
  static void BindEvent(Statement& stmt, const Event& event) {
    stmt.Bind(2, event.person_id);
    stmt.BindStable(3, registry::EventTypeName(event.type));
    stmt.Bind(4, event.date.ToString());
    if (event.date.unknown()) {
      stmt.BindNull(5).BindNull(6);
    } else {
      stmt.Bind(5, int64_t{event.date.EarliestDay()});
      stmt.Bind(6, int64_t{event.date.LatestDay()});
    }
    stmt.BindStable(7, event.place_code);
    stmt.BindStable(8, event.place_text);
    stmt.BindIdOrNull(9, event.source_testimony_id);
    stmt.BindStable(10, event.source);
    stmt.BindStable(11, event.note);
  }

  Status InsertNames(int64_t person_id, const std::vector<PersonName>& person_names) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt,
                          c_.Prepare("INSERT INTO person_names (person_id, position, text, "
                                     "script, part, source) VALUES (?,?,?,?,?,?)"));
    int64_t position = 0;
    for (const PersonName& name : person_names) {
      stmt.Bind(1, person_id).Bind(2, position++).BindStable(3, name.text);
      stmt.BindStable(4, names::ScriptName(name.script));
      stmt.BindStable(5, registry::NamePartName(name.part));
      stmt.BindStable(6, name.source);
      IZDE_RETURN_IF_ERROR(stmt.Run());
      stmt.Rewind();
    }
    return OkStatus();
  }

  Status InsertMentions(int64_t testimony_id, const std::vector<Mention>& mentions) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt,
                          c_.Prepare("INSERT INTO mentions (testimony_id, position, person_id, "
                                     "relation) VALUES (?,?,?,?)"));
    int64_t position = 0;
    for (const Mention& mention : mentions) {
      stmt.Bind(1, testimony_id).Bind(2, position++).Bind(3, mention.person_id);
      stmt.BindStable(4, mention.relation);
      IZDE_RETURN_IF_ERROR(stmt.Run());
      stmt.Rewind();
    }
    return OkStatus();
  }

  Status VersionConflict(std::string_view table, int64_t id, int64_t version) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt,
                          c_.Prepare(fmt::format("SELECT version FROM {} WHERE id = ?", table)));
    stmt.Bind(1, id);
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NotFoundError(fmt::format("no row {} in {}", id, table));
    return AbortedError(fmt::format(
        "{} row {} was changed by someone else (version {}, you edited version {}); reload "
        "and apply your change again",
        table, id, stmt.Int(0), version));
  }

  SqliteConnection& c_;
  std::string now_;
};

}  // namespace internal

namespace {

// Runs BEGIN or COMMIT of a read transaction from the connection's statement cache.
Status EndRead(SqliteConnection& connection, std::string_view sql) {
  IZDE_ASSIGN_OR_RETURN(Statement stmt, connection.Prepare(sql));
  return stmt.Step().status();
}

class SqliteTransaction final : public registry::StoreTransaction {
 public:
  // A write transaction (BEGIN IMMEDIATE, ended here), or with `read` a read transaction
  // (Store::BeginRead): `read` is "COMMIT" when this began it, "" when it reads inside the
  // thread's own write transaction and ends nothing.
  SqliteTransaction(std::unique_lock<std::recursive_mutex> lock, SqliteConnection& connection,
                    std::optional<std::string_view> read = std::nullopt)
      : lock_(std::move(lock)),
        connection_(connection),
        ops_(connection),
        linkage_(connection, nullptr),
        read_(read) {}
  ~SqliteTransaction() override {
    if (read_) {
      // A cached statement, as BEGIN's: the page's reads end without parsing SQL.
      // Should COMMIT fail, ROLLBACK: a read transaction left open would hold every later
      // read of the store in its old snapshot.
      if (!read_->empty() && !EndRead(connection_, *read_).ok()) {
        connection_.Exec("ROLLBACK").IgnoreError();
      }
      return;
    }
    if (!done_) connection_.Exec("ROLLBACK").IgnoreError();
  }

  Result<Person> GetPerson(int64_t id) override { return ops_.GetPerson(id); }
  Result<Testimony> GetTestimony(int64_t id) override { return ops_.GetTestimony(id); }
  Result<Event> GetEvent(int64_t id) override { return ops_.GetEvent(id); }
  Result<Relation> GetRelation(int64_t id) override { return ops_.GetRelation(id); }
  Result<int64_t> FindPersonByExternalId(std::string_view external_id) override {
    return ops_.FindByExternalId("persons", external_id);
  }
  Result<int64_t> FindTestimonyByExternalId(std::string_view external_id) override {
    return ops_.FindByExternalId("testimonies", external_id);
  }
  Result<std::vector<Event>> EventsOfPerson(int64_t person_id) override {
    return ops_.EventsOfPerson(person_id);
  }
  Result<std::vector<Testimony>> TestimoniesOfPerson(int64_t person_id) override {
    return ops_.TestimoniesOfPerson(person_id);
  }
  Result<std::vector<Relation>> RelationsOfPerson(int64_t person_id) override {
    return ops_.RelationsOfPerson(person_id);
  }
  Result<std::vector<AuditEntry>> History(std::string_view entity) override {
    return ops_.History(entity);
  }
  Result<AuditEntry> GetAuditEntry(int64_t id) override { return ops_.GetAuditEntry(id); }
  Result<registry::StoreCounts> Counts() override { return ops_.Counts(); }
  Result<int64_t> CountPersons() override { return ops_.CountPersons(); }
  registry::LinkageReader& linkage() override { return linkage_; }
  registry::LinkageWriter& linkage_writer() override { return linkage_; }

  Result<int64_t> InsertPerson(const Person& person) override { return ops_.InsertPerson(person); }
  Status UpdatePerson(const Person& person) override { return ops_.UpdatePerson(person); }
  Status DeletePerson(int64_t id) override { return ops_.DeletePerson(id); }
  Result<int64_t> InsertTestimony(const Testimony& testimony) override {
    return ops_.InsertTestimony(testimony);
  }
  Status UpdateTestimony(const Testimony& testimony) override {
    return ops_.UpdateTestimony(testimony);
  }
  Status DeleteTestimony(int64_t id) override { return ops_.DeleteTestimony(id); }
  Result<int64_t> InsertEvent(const Event& event) override { return ops_.InsertEvent(event); }
  Status UpdateEvent(const Event& event) override { return ops_.UpdateEvent(event); }
  Status DeleteEvent(int64_t id) override { return ops_.DeleteRow("events", id); }
  Result<int64_t> InsertRelation(const Relation& relation) override {
    return ops_.InsertRelation(relation);
  }
  Status DeleteRelation(int64_t id) override { return ops_.DeleteRow("relations", id); }
  Result<int64_t> AppendAudit(const AuditEntry& entry) override { return ops_.AppendAudit(entry); }

  // Users and sessions (sqlite_users.cc).
  Result<registry::User> GetUser(int64_t id) override { return users_.GetUser(id); }
  Result<registry::User> FindUserByName(std::string_view name) override {
    return users_.FindUserByName(name);
  }
  Result<std::vector<registry::User>> ListUsers() override { return users_.ListUsers(); }
  Result<registry::Session> GetSession(std::string_view hash) override {
    return users_.GetSession(hash);
  }
  Result<std::vector<registry::Session>> ListSessions(int64_t user_id) override {
    return users_.ListSessions(user_id);
  }
  Result<int64_t> InsertUser(const registry::User& user) override {
    return users_.InsertUser(user);
  }
  Status UpdateUser(const registry::User& user) override { return users_.UpdateUser(user); }
  Status InsertSession(const registry::Session& session) override {
    return users_.InsertSession(session);
  }
  Status UpdateSession(const registry::Session& session) override {
    return users_.UpdateSession(session);
  }
  // Evidence (sqlite_evidence.cc).
  Result<registry::Evidence> GetEvidence(int64_t id) override {
    return internal::GetEvidence(connection_, id);
  }
  Result<std::vector<registry::Evidence>> EvidenceOfPerson(int64_t person_id) override {
    return internal::EvidenceOfPerson(connection_, person_id);
  }
  Result<int64_t> CountEvidence() override { return internal::CountEvidence(connection_); }
  Result<int64_t> InsertEvidence(const registry::Evidence& evidence) override {
    return internal::InsertEvidence(connection_, evidence);
  }
  Status DeleteEvidence(int64_t id) override { return internal::DeleteEvidence(connection_, id); }

  Status Commit() override {
    if (done_) return FailedPreconditionError("transaction already finished");
    IZDE_RETURN_IF_ERROR(connection_.Exec("COMMIT"));
    done_ = true;
    return OkStatus();
  }

 private:
  std::unique_lock<std::recursive_mutex> lock_;
  SqliteConnection& connection_;
  internal::Operations ops_;
  internal::SqliteLinkage linkage_;
  internal::UserOperations users_{connection_};
  std::optional<std::string_view> read_;
  bool done_ = false;
};

}  // namespace

SqliteStore::SqliteStore(std::string path, std::unique_ptr<SqliteConnection> connection)
    : path_(std::move(path)),
      connection_(std::move(connection)),
      linkage_(std::make_unique<internal::SqliteLinkage>(*connection_, &mu_)) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, bool create) {
  IZDE_ASSIGN_OR_RETURN(auto connection, SqliteConnection::Open(path, create));
  if (!create) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt, connection->Prepare("PRAGMA user_version"));
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row || stmt.Int(0) == 0) {
      return FailedPreconditionError(
          fmt::format("'{}' is not an izde database (create one with `izde init`)", path));
    }
  }
  IZDE_RETURN_IF_ERROR(internal::Migrate(*connection));
  return std::unique_ptr<SqliteStore>(new SqliteStore(path, std::move(connection)));
}

int SqliteStore::CurrentSchemaVersion() { return internal::LatestSchemaVersion(); }

Result<int> SqliteStore::SchemaVersion() {
  std::lock_guard lock(mu_);
  IZDE_ASSIGN_OR_RETURN(Statement stmt, connection_->Prepare("PRAGMA user_version"));
  IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? static_cast<int>(stmt.Int(0)) : 0;
}

Status SqliteStore::CheckIntegrity() {
  std::lock_guard lock(mu_);
  IZDE_ASSIGN_OR_RETURN(Statement stmt, connection_->Prepare("PRAGMA integrity_check"));
  std::string report;
  while (true) {
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (!report.empty()) report += "; ";
    report += stmt.Text(0);
  }
  if (report == "ok") return OkStatus();
  return DataLossError("integrity check failed: " + report);
}

Result<std::unique_ptr<registry::StoreTransaction>> SqliteStore::Begin() {
  std::unique_lock lock(mu_);
  // IMMEDIATE takes the write lock now, so that a second writer waits (busy timeout) here
  // instead of failing at its first write.
  IZDE_RETURN_IF_ERROR(connection_->Exec("BEGIN IMMEDIATE"));
  return std::unique_ptr<registry::StoreTransaction>(
      new SqliteTransaction(std::move(lock), *connection_));
}

Result<std::unique_ptr<registry::StoreReader>> SqliteStore::BeginRead() {
  std::unique_lock lock(mu_);
  // Deferred: the snapshot is taken at the first read and the file's locks are held until
  // COMMIT, where each statement on its own took and dropped them (fcntl, the WAL's read
  // mark).
  const bool own = sqlite3_get_autocommit(connection_->db()) != 0;
  if (own) IZDE_RETURN_IF_ERROR(EndRead(*connection_, "BEGIN"));
  return std::unique_ptr<registry::StoreReader>(
      new SqliteTransaction(std::move(lock), *connection_, own ? "COMMIT" : ""));
}

#define IZDE_SQLITE_READ(expr)            \
  std::lock_guard lock(mu_);              \
  internal::Operations ops(*connection_); \
  return ops.expr

Status SqliteStore::ScanPersons(const registry::PersonVisitor& visit) {
  IZDE_SQLITE_READ(ScanPersons(visit));
}
Status SqliteStore::ScanTestimonies(const registry::TestimonyVisitor& visit) {
  IZDE_SQLITE_READ(ScanTestimonies(visit));
}
Status SqliteStore::ScanEvents(const registry::EventVisitor& visit) {
  IZDE_SQLITE_READ(ScanEvents(visit));
}
Result<Person> SqliteStore::GetPerson(int64_t id) { IZDE_SQLITE_READ(GetPerson(id)); }
Result<std::vector<Person>> SqliteStore::GetPersons(const std::vector<int64_t>& ids) {
  std::lock_guard lock(mu_);
  if (ids.empty()) return std::vector<Person>();
  // One read transaction for both queries: a commit of another process falls before or
  // after the page, not between a person and its names.
  // Inside this thread's own write transaction (the mutex is recursive) it reads in that.
  const bool own = sqlite3_get_autocommit(connection_->db()) != 0;
  if (own) IZDE_RETURN_IF_ERROR(connection_->Exec("BEGIN"));
  Result<std::vector<Person>> persons = internal::Operations(*connection_).GetPersons(ids);
  if (!own) return persons;
  Status ended = connection_->Exec(persons.ok() ? "COMMIT" : "ROLLBACK");
  if (!persons.ok()) return persons.status();
  IZDE_RETURN_IF_ERROR(ended);
  return persons;
}
Result<Testimony> SqliteStore::GetTestimony(int64_t id) { IZDE_SQLITE_READ(GetTestimony(id)); }
Result<Event> SqliteStore::GetEvent(int64_t id) { IZDE_SQLITE_READ(GetEvent(id)); }
Result<Relation> SqliteStore::GetRelation(int64_t id) { IZDE_SQLITE_READ(GetRelation(id)); }
Result<int64_t> SqliteStore::FindPersonByExternalId(std::string_view external_id) {
  IZDE_SQLITE_READ(FindByExternalId("persons", external_id));
}
Result<int64_t> SqliteStore::FindTestimonyByExternalId(std::string_view external_id) {
  IZDE_SQLITE_READ(FindByExternalId("testimonies", external_id));
}
Result<std::vector<Event>> SqliteStore::EventsOfPerson(int64_t person_id) {
  IZDE_SQLITE_READ(EventsOfPerson(person_id));
}
Result<std::vector<Testimony>> SqliteStore::TestimoniesOfPerson(int64_t person_id) {
  IZDE_SQLITE_READ(TestimoniesOfPerson(person_id));
}
Result<std::vector<Relation>> SqliteStore::RelationsOfPerson(int64_t person_id) {
  IZDE_SQLITE_READ(RelationsOfPerson(person_id));
}
Result<std::vector<AuditEntry>> SqliteStore::History(std::string_view entity) {
  IZDE_SQLITE_READ(History(entity));
}
Result<AuditEntry> SqliteStore::GetAuditEntry(int64_t id) { IZDE_SQLITE_READ(GetAuditEntry(id)); }
Result<registry::StoreCounts> SqliteStore::Counts() { IZDE_SQLITE_READ(Counts()); }
Result<int64_t> SqliteStore::CountPersons() { IZDE_SQLITE_READ(CountPersons()); }

Result<registry::User> SqliteStore::GetUser(int64_t id) {
  std::lock_guard lock(mu_);
  return internal::UserOperations(*connection_).GetUser(id);
}
Result<registry::User> SqliteStore::FindUserByName(std::string_view name) {
  std::lock_guard lock(mu_);
  return internal::UserOperations(*connection_).FindUserByName(name);
}
Result<std::vector<registry::User>> SqliteStore::ListUsers() {
  std::lock_guard lock(mu_);
  return internal::UserOperations(*connection_).ListUsers();
}
Result<registry::Session> SqliteStore::GetSession(std::string_view token_hash) {
  std::lock_guard lock(mu_);
  return internal::UserOperations(*connection_).GetSession(token_hash);
}
Result<std::vector<registry::Session>> SqliteStore::ListSessions(int64_t user_id) {
  std::lock_guard lock(mu_);
  return internal::UserOperations(*connection_).ListSessions(user_id);
}

// Evidence (sqlite_evidence.cc).
Result<registry::Evidence> SqliteStore::GetEvidence(int64_t id) {
  std::lock_guard lock(mu_);
  return internal::GetEvidence(*connection_, id);
}
Result<std::vector<registry::Evidence>> SqliteStore::EvidenceOfPerson(int64_t person_id) {
  std::lock_guard lock(mu_);
  return internal::EvidenceOfPerson(*connection_, person_id);
}
Result<int64_t> SqliteStore::CountEvidence() {
  std::lock_guard lock(mu_);
  return internal::CountEvidence(*connection_);
}

#undef IZDE_SQLITE_READ

}  // namespace izde::store
