#include "store/postgres/postgres_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "core/ids.h"
#include "store/postgres/pg_bulk.h"
#include "store/postgres/pg_changes.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_evidence.h"
#include "store/postgres/pg_linkage.h"
#include "store/row_values.h"

namespace izde::store {

using internal::ConnectionPool;
using internal::Exec;
using internal::Int;
using internal::NowIso;
using internal::Params;
using internal::Stored;
using internal::Text;
using registry::AuditEntry;
using registry::Event;
using registry::Mention;
using registry::Person;
using registry::PersonName;
using registry::Relation;
using registry::Session;
using registry::Testimony;
using registry::User;

namespace {

constexpr std::string_view kPersonColumns =
    "id, external_id, gender, birth_date, ethnicity, hometown_code, hometown_text, occupation, "
    "prc_id, privacy, grade, notes, version, created_at, updated_at";

Result<Person> ReadPerson(const pqxx::row& row) {
  Person person;
  person.id = Int(row, 0);
  person.external_id = Text(row, 1);
  IZDE_ASSIGN_OR_RETURN(person.gender,
                        Stored(registry::ParseGender(Text(row, 2)), "persons", person.id));
  IZDE_ASSIGN_OR_RETURN(person.birth_date,
                        Stored(PartialDate::Parse(Text(row, 3)), "persons", person.id));
  person.ethnicity = Text(row, 4);
  person.hometown_code = Text(row, 5);
  person.hometown_text = Text(row, 6);
  person.occupation = Text(row, 7);
  person.prc_id = Text(row, 8);
  IZDE_ASSIGN_OR_RETURN(person.privacy,
                        Stored(registry::ParsePrivacy(Text(row, 9)), "persons", person.id));
  IZDE_ASSIGN_OR_RETURN(person.grade,
                        Stored(registry::ParseGrade(Text(row, 10)), "persons", person.id));
  person.notes = Text(row, 11);
  person.version = Int(row, 12);
  person.created_at = Text(row, 13);
  person.updated_at = Text(row, 14);
  return person;
}

// Columns (from `first` on): person_id, text, script, part, source.
Result<PersonName> ReadName(const pqxx::row& row, int first = 0) {
  PersonName name;
  const int64_t person_id = Int(row, first);
  name.text = Text(row, first + 1);
  IZDE_ASSIGN_OR_RETURN(
      name.script, Stored(names::ParseScript(Text(row, first + 2)), "person_names", person_id));
  IZDE_ASSIGN_OR_RETURN(
      name.part, Stored(registry::ParseNamePart(Text(row, first + 3)), "person_names", person_id));
  name.source = Text(row, first + 4);
  return name;
}

constexpr std::string_view kEventColumns =
    "id, person_id, type, date, place_code, place_text, testimony_id, source, note, version, "
    "created_at";

Result<Event> ReadEvent(const pqxx::row& row) {
  Event event;
  event.id = Int(row, 0);
  event.person_id = Int(row, 1);
  IZDE_ASSIGN_OR_RETURN(event.type,
                        Stored(registry::ParseEventType(Text(row, 2)), "events", event.id));
  IZDE_ASSIGN_OR_RETURN(event.date, Stored(PartialDate::Parse(Text(row, 3)), "events", event.id));
  event.place_code = Text(row, 4);
  event.place_text = Text(row, 5);
  event.source_testimony_id = Int(row, 6);
  event.source = Text(row, 7);
  event.note = Text(row, 8);
  event.version = Int(row, 9);
  event.created_at = Text(row, 10);
  return event;
}

constexpr std::string_view kTestimonyColumns =
    "id, external_id, testifier_name, testifier_contact, date, language, medium, summary, "
    "transcript, link, consent, version, created_at";

Result<Testimony> ReadTestimony(const pqxx::row& row) {
  Testimony testimony;
  testimony.id = Int(row, 0);
  testimony.external_id = Text(row, 1);
  testimony.testifier_name = Text(row, 2);
  testimony.testifier_contact = Text(row, 3);
  IZDE_ASSIGN_OR_RETURN(testimony.date,
                        Stored(PartialDate::Parse(Text(row, 4)), "testimonies", testimony.id));
  testimony.language = Text(row, 5);
  IZDE_ASSIGN_OR_RETURN(testimony.medium,
                        Stored(registry::ParseMedium(Text(row, 6)), "testimonies", testimony.id));
  testimony.summary = Text(row, 7);
  testimony.transcript = Text(row, 8);
  testimony.link = Text(row, 9);
  IZDE_ASSIGN_OR_RETURN(testimony.consent,
                        Stored(registry::ParseConsent(Text(row, 10)), "testimonies", testimony.id));
  testimony.version = Int(row, 11);
  testimony.created_at = Text(row, 12);
  return testimony;
}

Result<Relation> ReadRelation(const pqxx::row& row) {
  Relation relation;
  relation.id = Int(row, 0);
  relation.from_person = Int(row, 1);
  relation.to_person = Int(row, 2);
  IZDE_ASSIGN_OR_RETURN(
      relation.kind, Stored(registry::ParseRelationKind(Text(row, 3)), "relations", relation.id));
  relation.note = Text(row, 4);
  return relation;
}

constexpr std::string_view kAuditColumns =
    "id, at, actor, action, entity, person, before, after, note";

AuditEntry ReadAudit(const pqxx::row& row) {
  AuditEntry entry;
  entry.id = Int(row, 0);
  entry.at = Text(row, 1);
  entry.actor = Text(row, 2);
  entry.action = Text(row, 3);
  entry.entity = Text(row, 4);
  entry.person = Text(row, 5);
  if (entry.person.empty() && ParseId(IdKind::kPerson, entry.entity).ok()) {
    entry.person = entry.entity;
  }
  entry.before = Text(row, 6);
  entry.after = Text(row, 7);
  entry.note = Text(row, 8);
  return entry;
}

constexpr std::string_view kUserColumns = "id, name, role, password_hash, disabled, created_at";
constexpr std::string_view kSessionColumns =
    "token_hash, user_id, csrf_token, address, created_at, expires_at, last_seen_at, revoked";

User ReadUser(const pqxx::row& row) {
  User user;
  user.id = Int(row, 0);
  user.name = Text(row, 1);
  user.role = Text(row, 2);
  user.password_hash = Text(row, 3);
  user.disabled = internal::Bool(row, 4);
  user.created_at = Text(row, 5);
  return user;
}

Session ReadSession(const pqxx::row& row) {
  Session session;
  session.token_hash = Text(row, 0);
  session.user_id = Int(row, 1);
  session.csrf_token = Text(row, 2);
  session.address = Text(row, 3);
  session.created_at = Int(row, 4);
  session.expires_at = Int(row, 5);
  session.last_seen_at = Int(row, 6);
  session.revoked = internal::Bool(row, 7);
  return session;
}

// Rows read per round trip by the scans.
constexpr int64_t kScanBatch = 2000;

}  // namespace

namespace internal {

// Every read and write, in one libpqxx transaction that the caller owns.
class PgOperations {
 public:
  explicit PgOperations(pqxx::transaction_base& txn) : t_(txn) {}

  Result<Person> GetPerson(int64_t id) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_, fmt::format("SELECT {} FROM persons WHERE id = $1", kPersonColumns),
             Params().Int(id)));
    if (rows.empty()) {
      return NotFoundError(fmt::format("no person {}", FormatId(IdKind::kPerson, id)));
    }
    IZDE_ASSIGN_OR_RETURN(Person person, ReadPerson(rows[0]));
    IZDE_ASSIGN_OR_RETURN(pqxx::result names,
                          Exec(t_,
                               "SELECT person_id, text, script, part, source FROM person_names "
                               "WHERE person_id = $1 ORDER BY position",
                               Params().Int(id)));
    for (const pqxx::row& row : names) {
      IZDE_ASSIGN_OR_RETURN(PersonName name, ReadName(row));
      person.names.push_back(std::move(name));
    }
    return person;
  }

  // Store::GetPersons: one query (one round trip, one snapshot) for up to 256 ids, each
  // person joined with its names.
  Result<std::vector<Person>> GetPersons(const std::vector<int64_t>& ids) {
    constexpr size_t kBatch = 256;
    // kPersonColumns, qualified.
    static const std::string sql =
        "SELECT p.id, p.external_id, p.gender, p.birth_date, p.ethnicity, p.hometown_code, "
        "p.hometown_text, p.occupation, p.prc_id, p.privacy, p.grade, p.notes, p.version, "
        "p.created_at, p.updated_at, n.person_id, n.text, n.script, n.part, n.source "
        "FROM persons p LEFT JOIN person_names n ON n.person_id = p.id "
        "WHERE p.id = ANY($1::bigint[]) ORDER BY p.id, n.position";
    std::unordered_map<int64_t, Person> found;
    for (size_t start = 0; start < ids.size(); start += kBatch) {
      std::string array = "{";
      for (size_t idx = start; idx < std::min(ids.size(), start + kBatch); ++idx) {
        if (idx > start) array += ',';
        array += std::to_string(ids[idx]);
      }
      array += '}';
      IZDE_ASSIGN_OR_RETURN(pqxx::result rows, Exec(t_, sql, Params().Text(array)));
      constexpr int kNameColumn = 15;  // after the person's columns
      for (const pqxx::row& row : rows) {
        const int64_t id = Int(row, 0);
        auto person = found.find(id);
        if (person == found.end()) {
          IZDE_ASSIGN_OR_RETURN(Person read, ReadPerson(row));
          person = found.emplace(id, std::move(read)).first;
        }
        if (row[kNameColumn].is_null()) continue;  // a person without names
        IZDE_ASSIGN_OR_RETURN(PersonName name, ReadName(row, kNameColumn));
        person->second.names.push_back(std::move(name));
      }
    }
    return internal::InOrderAsked(ids, found);
  }

  Result<Testimony> GetTestimony(int64_t id) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_, fmt::format("SELECT {} FROM testimonies WHERE id = $1", kTestimonyColumns),
             Params().Int(id)));
    if (rows.empty()) {
      return NotFoundError(fmt::format("no testimony {}", FormatId(IdKind::kTestimony, id)));
    }
    IZDE_ASSIGN_OR_RETURN(Testimony testimony, ReadTestimony(rows[0]));
    IZDE_RETURN_IF_ERROR(ReadMentions(testimony));
    return testimony;
  }

  Status ReadMentions(Testimony& testimony) {
    IZDE_ASSIGN_OR_RETURN(pqxx::result rows,
                          Exec(t_,
                               "SELECT person_id, relation FROM mentions WHERE testimony_id = $1 "
                               "ORDER BY position",
                               Params().Int(testimony.id)));
    for (const pqxx::row& row : rows)
      testimony.mentions.push_back(Mention{Int(row, 0), Text(row, 1)});
    return OkStatus();
  }

  Result<Event> GetEvent(int64_t id) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_, fmt::format("SELECT {} FROM events WHERE id = $1", kEventColumns),
             Params().Int(id)));
    if (rows.empty())
      return NotFoundError(fmt::format("no event {}", FormatId(IdKind::kEvent, id)));
    return ReadEvent(rows[0]);
  }

  Result<Relation> GetRelation(int64_t id) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_, "SELECT id, from_person, to_person, kind, note FROM relations WHERE id = $1",
             Params().Int(id)));
    if (rows.empty()) {
      return NotFoundError(fmt::format("no relation {}", FormatId(IdKind::kRelation, id)));
    }
    return ReadRelation(rows[0]);
  }

  Result<int64_t> FindByExternalId(std::string_view table, std::string_view external_id) {
    IZDE_ASSIGN_OR_RETURN(pqxx::result rows,
                          Exec(t_, fmt::format("SELECT id FROM {} WHERE external_id = $1", table),
                               Params().Text(external_id)));
    if (rows.empty()) {
      return NotFoundError(
          fmt::format("no record with external id '{}' in {}", external_id, table));
    }
    return Int(rows[0], 0);
  }

  Result<std::vector<Event>> EventsOfPerson(int64_t person_id) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             fmt::format("SELECT {} FROM events WHERE person_id = $1 ORDER BY id", kEventColumns),
             Params().Int(person_id)));
    std::vector<Event> events;
    for (const pqxx::row& row : rows) {
      IZDE_ASSIGN_OR_RETURN(Event event, ReadEvent(row));
      events.push_back(std::move(event));
    }
    return events;
  }

  Result<std::vector<Testimony>> TestimoniesOfPerson(int64_t person_id) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             fmt::format("SELECT {} FROM testimonies WHERE id IN (SELECT testimony_id FROM "
                         "mentions WHERE person_id = $1) ORDER BY id",
                         kTestimonyColumns),
             Params().Int(person_id)));
    std::vector<Testimony> testimonies;
    for (const pqxx::row& row : rows) {
      IZDE_ASSIGN_OR_RETURN(Testimony testimony, ReadTestimony(row));
      testimonies.push_back(std::move(testimony));
    }
    for (Testimony& testimony : testimonies) IZDE_RETURN_IF_ERROR(ReadMentions(testimony));
    return testimonies;
  }

  Result<std::vector<Relation>> RelationsOfPerson(int64_t person_id) {
    IZDE_ASSIGN_OR_RETURN(pqxx::result rows,
                          Exec(t_,
                               "SELECT id, from_person, to_person, kind, note FROM relations "
                               "WHERE from_person = $1 OR to_person = $1 ORDER BY id",
                               Params().Int(person_id)));
    std::vector<Relation> relations;
    for (const pqxx::row& row : rows) {
      IZDE_ASSIGN_OR_RETURN(Relation relation, ReadRelation(row));
      relations.push_back(std::move(relation));
    }
    return relations;
  }

  Result<std::vector<AuditEntry>> History(std::string_view entity) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             fmt::format("SELECT {} FROM audit WHERE entity = $1 OR person = $1 ORDER BY id",
                         kAuditColumns),
             Params().Text(entity)));
    std::vector<AuditEntry> entries;
    for (const pqxx::row& row : rows) entries.push_back(ReadAudit(row));
    return entries;
  }

  Result<AuditEntry> GetAuditEntry(int64_t id) {
    IZDE_ASSIGN_OR_RETURN(pqxx::result rows,
                          Exec(t_, fmt::format("SELECT {} FROM audit WHERE id = $1", kAuditColumns),
                               Params().Int(id)));
    if (rows.empty()) return NotFoundError(fmt::format("no audit entry {}", id));
    return ReadAudit(rows[0]);
  }

  Result<int64_t> CountPersons() {
    IZDE_ASSIGN_OR_RETURN(pqxx::result rows, Exec(t_, "SELECT count(*) FROM persons"));
    return Int(rows[0], 0);
  }

  Result<registry::StoreCounts> Counts() {
    // One statement: the counts agree with each other.
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             "SELECT (SELECT count(*) FROM persons), (SELECT count(*) FROM person_names), "
             "(SELECT count(*) FROM testimonies), (SELECT count(*) FROM events), "
             "(SELECT count(*) FROM relations), (SELECT count(*) FROM audit)"));
    registry::StoreCounts counts;
    counts.persons = Int(rows[0], 0);
    counts.names = Int(rows[0], 1);
    counts.testimonies = Int(rows[0], 2);
    counts.events = Int(rows[0], 3);
    counts.relations = Int(rows[0], 4);
    counts.audit_entries = Int(rows[0], 5);
    return counts;
  }

  // --- users and sessions -------------------------------------------------------------

  Result<User> GetUser(int64_t id) {
    IZDE_ASSIGN_OR_RETURN(pqxx::result rows,
                          Exec(t_, fmt::format("SELECT {} FROM users WHERE id = $1", kUserColumns),
                               Params().Int(id)));
    if (rows.empty()) return NotFoundError(fmt::format("no user {}", FormatId(IdKind::kUser, id)));
    return ReadUser(rows[0]);
  }

  Result<User> FindUserByName(std::string_view name) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_, fmt::format("SELECT {} FROM users WHERE name = $1", kUserColumns),
             Params().Text(name)));
    if (rows.empty()) return NotFoundError(fmt::format("no user named '{}'", name));
    return ReadUser(rows[0]);
  }

  Result<std::vector<User>> ListUsers() {
    IZDE_ASSIGN_OR_RETURN(pqxx::result rows,
                          Exec(t_, fmt::format("SELECT {} FROM users ORDER BY id", kUserColumns)));
    std::vector<User> users;
    for (const pqxx::row& row : rows) users.push_back(ReadUser(row));
    return users;
  }

  Result<Session> GetSession(std::string_view token_hash) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_, fmt::format("SELECT {} FROM sessions WHERE token_hash = $1", kSessionColumns),
             Params().Text(token_hash)));
    if (rows.empty()) return NotFoundError("no such session");
    return ReadSession(rows[0]);
  }

  Result<std::vector<Session>> ListSessions(int64_t user_id) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             fmt::format("SELECT {} FROM sessions WHERE $1::bigint = 0 OR user_id = $1 "
                         "ORDER BY created_at DESC, seq DESC",
                         kSessionColumns),
             Params().Int(user_id)));
    std::vector<Session> sessions;
    for (const pqxx::row& row : rows) sessions.push_back(ReadSession(row));
    return sessions;
  }

  Result<int64_t> InsertUser(const User& user) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             "INSERT INTO users (name, role, password_hash, disabled, created_at) "
             "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING id",
             Params()
                 .Text(user.name)
                 .Text(user.role)
                 .Text(user.password_hash)
                 .Bool(user.disabled)
                 .Text(Now())));
    if (rows.empty()) return AlreadyExistsError(fmt::format("a user named '{}' exists", user.name));
    return Int(rows[0], 0);
  }

  Status UpdateUser(const User& user) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             "UPDATE users SET name = $1, role = $2, password_hash = $3, disabled = $4 "
             "WHERE id = $5",
             Params()
                 .Text(user.name)
                 .Text(user.role)
                 .Text(user.password_hash)
                 .Bool(user.disabled)
                 .Int(user.id)));
    if (rows.affected_rows() == 0) {
      return NotFoundError(fmt::format("no user {}", FormatId(IdKind::kUser, user.id)));
    }
    return OkStatus();
  }

  Status InsertSession(const Session& session) {
    Status status =
        Exec(t_,
             fmt::format("INSERT INTO sessions ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                         kSessionColumns),
             Params()
                 .Text(session.token_hash)
                 .Int(session.user_id)
                 .Text(session.csrf_token)
                 .Text(session.address)
                 .Int(session.created_at)
                 .Int(session.expires_at)
                 .Int(session.last_seen_at)
                 .Bool(session.revoked))
            .status();
    if (status.code() == StatusCode::kAlreadyExists) {
      return AlreadyExistsError("a session with this token exists");
    }
    return status;
  }

  Status UpdateSession(const Session& session) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             "UPDATE sessions SET expires_at = $1, last_seen_at = $2, revoked = $3 "
             "WHERE token_hash = $4",
             Params()
                 .Int(session.expires_at)
                 .Int(session.last_seen_at)
                 .Bool(session.revoked)
                 .Text(session.token_hash)));
    if (rows.affected_rows() == 0) return NotFoundError("no such session");
    return OkStatus();
  }

  // --- writes -------------------------------------------------------------------------

  Result<int64_t> InsertPerson(const Person& person) {
    const std::string& now = Now();
    Params params;
    params.IdOrNull(person.id);
    BindPerson(params, person);
    params.Int(person.version);
    params.Text(person.created_at.empty() ? now : person.created_at);
    params.Text(person.updated_at.empty() ? now : person.updated_at);
    IZDE_ASSIGN_OR_RETURN(
        int64_t id,
        InsertReturningId(
            "persons",
            "INSERT INTO persons (id, external_id, gender, birth_date, birth_from, birth_to, "
            "ethnicity, hometown_code, hometown_text, occupation, prc_id, privacy, grade, notes, "
            "version, created_at, updated_at) VALUES (COALESCE($1, nextval('persons_id_seq')), "
            "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
            params, person.id));
    IZDE_RETURN_IF_ERROR(InsertNames(id, person.names));
    return id;
  }

  Status UpdatePerson(const Person& person) {
    Params params;
    params.Int(person.id);
    BindPerson(params, person);
    params.Text(Now());
    params.Int(person.version);
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             "UPDATE persons SET external_id = $2, gender = $3, birth_date = $4, "
             "birth_from = $5, birth_to = $6, ethnicity = $7, hometown_code = $8, "
             "hometown_text = $9, occupation = $10, prc_id = $11, privacy = $12, grade = $13, "
             "notes = $14, version = version + 1, updated_at = $15 "
             "WHERE id = $1 AND version = $16",
             params));
    if (rows.affected_rows() == 0) return VersionConflict("persons", person.id, person.version);
    IZDE_RETURN_IF_ERROR(
        Exec(t_, "DELETE FROM person_names WHERE person_id = $1", Params().Int(person.id))
            .status());
    return InsertNames(person.id, person.names);
  }

  Status DeletePerson(int64_t id) {
    for (auto [sql, what] :
         {std::pair{"SELECT count(*) FROM events WHERE person_id = $1", "events"},
          {"SELECT count(*) FROM mentions WHERE person_id = $1", "testimonies"},
          {"SELECT count(*) FROM relations WHERE from_person = $1 OR to_person = $1",
           "relations"}}) {
      IZDE_ASSIGN_OR_RETURN(pqxx::result rows, Exec(t_, sql, Params().Int(id)));
      if (Int(rows[0], 0) > 0) {
        return FailedPreconditionError(fmt::format(
            "person {} still has {} {}", FormatId(IdKind::kPerson, id), Int(rows[0], 0), what));
      }
    }
    return DeleteRow("persons", id);
  }

  Result<int64_t> InsertTestimony(const Testimony& testimony) {
    Params params;
    params.IdOrNull(testimony.id);
    BindTestimony(params, testimony);
    params.Int(testimony.version);
    params.Text(testimony.created_at.empty() ? Now() : testimony.created_at);
    IZDE_ASSIGN_OR_RETURN(
        int64_t id,
        InsertReturningId(
            "testimonies",
            "INSERT INTO testimonies (id, external_id, testifier_name, testifier_contact, date, "
            "language, medium, summary, transcript, link, consent, version, created_at) VALUES "
            "(COALESCE($1, nextval('testimonies_id_seq')), $2, $3, $4, $5, $6, $7, $8, $9, $10, "
            "$11, $12, $13) RETURNING id",
            params, testimony.id));
    IZDE_RETURN_IF_ERROR(InsertMentions(id, testimony.mentions));
    return id;
  }

  Status UpdateTestimony(const Testimony& testimony) {
    Params params;
    params.Int(testimony.id);
    BindTestimony(params, testimony);
    params.Int(testimony.version);
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             "UPDATE testimonies SET external_id = $2, testifier_name = $3, "
             "testifier_contact = $4, date = $5, language = $6, medium = $7, summary = $8, "
             "transcript = $9, link = $10, consent = $11, version = version + 1 "
             "WHERE id = $1 AND version = $12",
             params));
    if (rows.affected_rows() == 0) {
      return VersionConflict("testimonies", testimony.id, testimony.version);
    }
    IZDE_RETURN_IF_ERROR(
        Exec(t_, "DELETE FROM mentions WHERE testimony_id = $1", Params().Int(testimony.id))
            .status());
    return InsertMentions(testimony.id, testimony.mentions);
  }

  Status DeleteTestimony(int64_t id) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_, "SELECT count(*) FROM events WHERE testimony_id = $1", Params().Int(id)));
    if (Int(rows[0], 0) > 0) {
      return FailedPreconditionError(fmt::format("testimony {} is the source of {} events",
                                                 FormatId(IdKind::kTestimony, id),
                                                 Int(rows[0], 0)));
    }
    return DeleteRow("testimonies", id);
  }

  Result<int64_t> InsertEvent(const Event& event) {
    Params params;
    params.IdOrNull(event.id);
    BindEvent(params, event);
    params.Int(event.version);
    params.Text(event.created_at.empty() ? Now() : event.created_at);
    return InsertReturningId(
        "events",
        "INSERT INTO events (id, person_id, type, date, date_from, date_to, place_code, "
        "place_text, testimony_id, source, note, version, created_at) VALUES "
        "(COALESCE($1, nextval('events_id_seq')), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12, $13) RETURNING id",
        params, event.id);
  }

  Status UpdateEvent(const Event& event) {
    Params params;
    params.Int(event.id);
    BindEvent(params, event);
    params.Int(event.version);
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             "UPDATE events SET person_id = $2, type = $3, date = $4, date_from = $5, "
             "date_to = $6, place_code = $7, place_text = $8, testimony_id = $9, source = $10, "
             "note = $11, version = version + 1 WHERE id = $1 AND version = $12",
             params));
    if (rows.affected_rows() == 0) return VersionConflict("events", event.id, event.version);
    return OkStatus();
  }

  Result<int64_t> InsertRelation(const Relation& relation) {
    return InsertReturningId(
        "relations",
        "INSERT INTO relations (id, from_person, to_person, kind, note) VALUES "
        "(COALESCE($1, nextval('relations_id_seq')), $2, $3, $4, $5) RETURNING id",
        Params()
            .IdOrNull(relation.id)
            .Int(relation.from_person)
            .Int(relation.to_person)
            .Text(registry::RelationKindName(relation.kind))
            .Text(relation.note),
        relation.id);
  }

  Result<int64_t> AppendAudit(const AuditEntry& entry) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_,
             "INSERT INTO audit (at, actor, action, entity, person, before, after, note) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
             Params()
                 .Text(Now())
                 .Text(entry.actor)
                 .Text(entry.action)
                 .Text(entry.entity)
                 .Text(entry.person)
                 .Text(entry.before)
                 .Text(entry.after)
                 .Text(entry.note)));
    return Int(rows[0], 0);
  }

  Status DeleteRow(std::string_view table, int64_t id) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_, fmt::format("DELETE FROM {} WHERE id = $1", table), Params().Int(id)));
    if (rows.affected_rows() == 0) return NotFoundError(fmt::format("no row {} in {}", id, table));
    return OkStatus();
  }

  // --- scans: batches in id order, in the caller's (snapshot) transaction ----------------

  Status ScanPersons(const registry::PersonVisitor& visit) {
    int64_t after = 0;
    std::vector<Event> person_events;
    while (true) {
      IZDE_ASSIGN_OR_RETURN(
          pqxx::result persons,
          Exec(t_,
               fmt::format("SELECT {} FROM persons WHERE id > $1 ORDER BY id LIMIT $2",
                           kPersonColumns),
               Params().Int(after).Int(kScanBatch)));
      if (persons.empty()) return OkStatus();
      int64_t last = Int(persons[persons.size() - 1], 0);
      IZDE_ASSIGN_OR_RETURN(pqxx::result names,
                            Exec(t_,
                                 "SELECT person_id, text, script, part, source FROM person_names "
                                 "WHERE person_id > $1 AND person_id <= $2 "
                                 "ORDER BY person_id, position",
                                 Params().Int(after).Int(last)));
      IZDE_ASSIGN_OR_RETURN(
          pqxx::result events,
          Exec(t_,
               fmt::format("SELECT {} FROM events WHERE person_id > $1 AND person_id <= $2 "
                           "ORDER BY person_id, id",
                           kEventColumns),
               Params().Int(after).Int(last)));
      // Three sorted results merged: one pass over each.
      pqxx::result::size_type name_idx = 0;
      pqxx::result::size_type event_idx = 0;
      for (const pqxx::row& row : persons) {
        IZDE_ASSIGN_OR_RETURN(Person person, ReadPerson(row));
        for (; name_idx < names.size() && Int(names[name_idx], 0) <= person.id; ++name_idx) {
          if (Int(names[name_idx], 0) != person.id) continue;
          IZDE_ASSIGN_OR_RETURN(PersonName name, ReadName(names[name_idx]));
          person.names.push_back(std::move(name));
        }
        person_events.clear();
        for (; event_idx < events.size() && Int(events[event_idx], 1) <= person.id; ++event_idx) {
          if (Int(events[event_idx], 1) != person.id) continue;
          IZDE_ASSIGN_OR_RETURN(Event event, ReadEvent(events[event_idx]));
          person_events.push_back(std::move(event));
        }
        IZDE_RETURN_IF_ERROR(visit(person, person_events));
      }
      after = last;
    }
  }

  Status ScanTestimonies(const registry::TestimonyVisitor& visit) {
    int64_t after = 0;
    while (true) {
      IZDE_ASSIGN_OR_RETURN(
          pqxx::result testimonies,
          Exec(t_,
               fmt::format("SELECT {} FROM testimonies WHERE id > $1 ORDER BY id LIMIT $2",
                           kTestimonyColumns),
               Params().Int(after).Int(kScanBatch)));
      if (testimonies.empty()) return OkStatus();
      int64_t last = Int(testimonies[testimonies.size() - 1], 0);
      IZDE_ASSIGN_OR_RETURN(pqxx::result mentions,
                            Exec(t_,
                                 "SELECT testimony_id, person_id, relation FROM mentions "
                                 "WHERE testimony_id > $1 AND testimony_id <= $2 "
                                 "ORDER BY testimony_id, position",
                                 Params().Int(after).Int(last)));
      pqxx::result::size_type mention_idx = 0;
      for (const pqxx::row& row : testimonies) {
        IZDE_ASSIGN_OR_RETURN(Testimony testimony, ReadTestimony(row));
        for (; mention_idx < mentions.size() && Int(mentions[mention_idx], 0) <= testimony.id;
             ++mention_idx) {
          if (Int(mentions[mention_idx], 0) != testimony.id) continue;
          testimony.mentions.push_back(
              Mention{Int(mentions[mention_idx], 1), Text(mentions[mention_idx], 2)});
        }
        IZDE_RETURN_IF_ERROR(visit(testimony));
      }
      after = last;
    }
  }

  Status ScanEvents(const registry::EventVisitor& visit) {
    int64_t after = 0;
    while (true) {
      IZDE_ASSIGN_OR_RETURN(
          pqxx::result events,
          Exec(t_,
               fmt::format("SELECT {} FROM events WHERE id > $1 ORDER BY id LIMIT $2",
                           kEventColumns),
               Params().Int(after).Int(kScanBatch)));
      if (events.empty()) return OkStatus();
      for (const pqxx::row& row : events) {
        IZDE_ASSIGN_OR_RETURN(Event event, ReadEvent(row));
        IZDE_RETURN_IF_ERROR(visit(event));
      }
      after = Int(events[events.size() - 1], 0);
    }
  }

 private:
  // One timestamp per transaction, as in the SQLite backend.
  const std::string& Now() {
    if (now_.empty()) now_ = NowIso();
    return now_;
  }

  // Runs an INSERT ... RETURNING id. A record that brings its own id moves the table's
  // sequence past it, so that ids are never handed out twice.
  Result<int64_t> InsertReturningId(std::string_view table, const std::string& sql,
                                    const Params& params, int64_t explicit_id) {
    IZDE_ASSIGN_OR_RETURN(pqxx::result rows, Exec(t_, sql, params));
    int64_t id = Int(rows[0], 0);
    if (explicit_id != 0) {
      std::string sequence = fmt::format("{}_id_seq", table);
      IZDE_RETURN_IF_ERROR(
          Exec(t_,
               fmt::format("SELECT setval('{0}', GREATEST($1::bigint, (SELECT CASE WHEN "
                           "is_called THEN last_value ELSE 0 END FROM {0})))",
                           sequence),
               Params().Int(explicit_id))
              .status());
    }
    return id;
  }

  // A partial date as three parameters: its text, then its earliest and latest day (NULL, NULL
  // when unknown).
  static void BindDate(Params& params, const PartialDate& date) {
    params.Text(date.ToString());
    if (date.unknown()) {
      params.Null().Null();
    } else {
      params.Int(int64_t{date.EarliestDay()});
      params.Int(int64_t{date.LatestDay()});
    }
  }

  // Parameters $2..$14 of the person statements.
  static void BindPerson(Params& params, const Person& person) {
    params.TextOrNull(person.external_id);
    params.Text(registry::GenderName(person.gender));
    BindDate(params, person.birth_date);
    params.Text(person.ethnicity);
    params.Text(person.hometown_code);
    params.Text(person.hometown_text);
    params.Text(person.occupation);
    params.Text(person.prc_id);
    params.Text(registry::PrivacyName(person.privacy));
    params.Text(registry::GradeName(person.grade));
    params.Text(person.notes);
  }

  // Parameters $2..$11 of the testimony statements.
  static void BindTestimony(Params& params, const Testimony& testimony) {
    params.TextOrNull(testimony.external_id);
    params.Text(testimony.testifier_name);
    params.Text(testimony.testifier_contact);
    params.Text(testimony.date.ToString());
    params.Text(testimony.language);
    params.Text(registry::MediumName(testimony.medium));
    params.Text(testimony.summary);
    params.Text(testimony.transcript);
    params.Text(testimony.link);
    params.Text(registry::ConsentName(testimony.consent));
  }

  // Parameters $2..$11 of the event statements.
  static void BindEvent(Params& params, const Event& event) {
    params.Int(event.person_id);
    params.Text(registry::EventTypeName(event.type));
    BindDate(params, event.date);
    params.Text(event.place_code);
    params.Text(event.place_text);
    params.IdOrNull(event.source_testimony_id);
    params.Text(event.source);
    params.Text(event.note);
  }

  // One statement for all names: a person's names cost one round trip.
  Status InsertNames(int64_t person_id, const std::vector<PersonName>& person_names) {
    if (person_names.empty()) return OkStatus();
    std::string sql =
        "INSERT INTO person_names (person_id, position, text, script, part, source) VALUES ";
    Params params;
    params.Int(person_id);
    int param = 2;
    for (size_t position = 0; position < person_names.size(); ++position) {
      const PersonName& name = person_names[position];
      if (position > 0) sql += ", ";
      sql += fmt::format("($1, {}, ${}, ${}, ${}, ${})", position, param, param + 1, param + 2,
                         param + 3);
      param += 4;
      params.Text(name.text)
          .Text(names::ScriptName(name.script))
          .Text(registry::NamePartName(name.part))
          .Text(name.source);
    }
    return Exec(t_, sql, params).status();
  }

  Status InsertMentions(int64_t testimony_id, const std::vector<Mention>& mentions) {
    if (mentions.empty()) return OkStatus();
    std::string sql = "INSERT INTO mentions (testimony_id, position, person_id, relation) VALUES ";
    Params params;
    params.Int(testimony_id);
    int param = 2;
    for (size_t position = 0; position < mentions.size(); ++position) {
      if (position > 0) sql += ", ";
      sql += fmt::format("($1, {}, ${}, ${})", position, param, param + 1);
      param += 2;
      params.Int(mentions[position].person_id).Text(mentions[position].relation);
    }
    return Exec(t_, sql, params).status();
  }

  Status VersionConflict(std::string_view table, int64_t id, int64_t version) {
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(t_, fmt::format("SELECT version FROM {} WHERE id = $1", table), Params().Int(id)));
    if (rows.empty()) return NotFoundError(fmt::format("no row {} in {}", id, table));
    return AbortedError(fmt::format(
        "{} row {} was changed by someone else (version {}, you edited version {}); reload "
        "and apply your change again",
        table, id, Int(rows[0], 0), version));
  }

  pqxx::transaction_base& t_;
  std::string now_;
};

}  // namespace internal

namespace {

using internal::PgOperations;
using internal::Savepoint;

// A write transaction (Begin: pqxx::work), or a read transaction (BeginRead: repeatable read,
// read only, handed out as a StoreReader so that its writes cannot be called; never committed,
// it rolls back when destroyed, having written nothing).
class PgTransaction final : public registry::StoreTransaction {
 public:
  using ReadSnapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;
  PgTransaction(internal::PooledConnection connection,
                std::unique_ptr<pqxx::transaction_base> work)
      : connection_(std::move(connection)),
        work_(std::move(work)),
        ops_(*work_),
        linkage_(work_.get(), nullptr) {}
  // Members go in reverse order: the linkage and operations, then the work (which rolls
  // back when uncommitted), then the connection, back to the pool.

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
  Result<User> GetUser(int64_t id) override { return ops_.GetUser(id); }
  Result<User> FindUserByName(std::string_view name) override { return ops_.FindUserByName(name); }
  Result<std::vector<User>> ListUsers() override { return ops_.ListUsers(); }
  Result<Session> GetSession(std::string_view hash) override { return ops_.GetSession(hash); }
  Result<std::vector<Session>> ListSessions(int64_t user_id) override {
    return ops_.ListSessions(user_id);
  }

#define IZDE_PG_WRITE(expr) return Savepoint(*work_, [&] { return ops_.expr; })

  Result<int64_t> InsertPerson(const Person& person) override {
    IZDE_PG_WRITE(InsertPerson(person));
  }
  Status UpdatePerson(const Person& person) override { IZDE_PG_WRITE(UpdatePerson(person)); }
  Status DeletePerson(int64_t id) override { IZDE_PG_WRITE(DeletePerson(id)); }
  Result<int64_t> InsertTestimony(const Testimony& testimony) override {
    IZDE_PG_WRITE(InsertTestimony(testimony));
  }
  Status UpdateTestimony(const Testimony& testimony) override {
    IZDE_PG_WRITE(UpdateTestimony(testimony));
  }
  Status DeleteTestimony(int64_t id) override { IZDE_PG_WRITE(DeleteTestimony(id)); }
  Result<int64_t> InsertEvent(const Event& event) override { IZDE_PG_WRITE(InsertEvent(event)); }
  Status UpdateEvent(const Event& event) override { IZDE_PG_WRITE(UpdateEvent(event)); }
  Status DeleteEvent(int64_t id) override { IZDE_PG_WRITE(DeleteRow("events", id)); }
  Result<int64_t> InsertRelation(const Relation& relation) override {
    IZDE_PG_WRITE(InsertRelation(relation));
  }
  Status DeleteRelation(int64_t id) override { IZDE_PG_WRITE(DeleteRow("relations", id)); }
  Result<int64_t> AppendAudit(const AuditEntry& entry) override {
    Result<int64_t> id = Savepoint(*work_, [&] { return ops_.AppendAudit(entry); });
    if (id.ok()) audit_ids_.push_back(*id);  // the change at commit (pg_changes.cc)
    return id;
  }
  Result<int64_t> InsertUser(const User& user) override { IZDE_PG_WRITE(InsertUser(user)); }
  Status UpdateUser(const User& user) override { IZDE_PG_WRITE(UpdateUser(user)); }
  Status InsertSession(const Session& session) override { IZDE_PG_WRITE(InsertSession(session)); }
  Status UpdateSession(const Session& session) override { IZDE_PG_WRITE(UpdateSession(session)); }

  // Evidence (pg_evidence.cc).
  Result<registry::Evidence> GetEvidence(int64_t id) override {
    return internal::PgGetEvidence(*work_, id);
  }
  Result<std::vector<registry::Evidence>> EvidenceOfPerson(int64_t person_id) override {
    return internal::PgEvidenceOfPerson(*work_, person_id);
  }
  Result<int64_t> CountEvidence() override { return internal::PgCountEvidence(*work_); }
  Result<int64_t> InsertEvidence(const registry::Evidence& evidence) override {
    return Savepoint(*work_, [&] { return internal::PgInsertEvidence(*work_, evidence); });
  }
  Status DeleteEvidence(int64_t id) override {
    return Savepoint(*work_, [&] { return internal::PgDeleteEvidence(*work_, id); });
  }

#undef IZDE_PG_WRITE

  Status Commit() override {
    if (done_) return FailedPreconditionError("transaction already finished");
    IZDE_RETURN_IF_ERROR(internal::PgRecordChange(*work_, audit_ids_));
    done_ = true;
    try {
      work_->commit();
      return OkStatus();
    } catch (const std::exception& error) {
      return internal::PgError(error, "COMMIT");
    }
  }

 private:
  internal::PooledConnection connection_;
  std::unique_ptr<pqxx::transaction_base> work_;
  PgOperations ops_;
  internal::PgLinkage linkage_;
  std::vector<int64_t> audit_ids_;  // appended in this transaction
  bool done_ = false;
};

}  // namespace

PostgresStore::PostgresStore(std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)),
      linkage_(std::make_unique<internal::PgLinkage>(nullptr, pool_.get())) {}

PostgresStore::~PostgresStore() = default;

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url, bool create) {
  std::string libpq_url;
  IZDE_ASSIGN_OR_RETURN(internal::PoolOptions options, internal::ParsePoolOptions(url, libpq_url));
  IZDE_ASSIGN_OR_RETURN(auto pool, ConnectionPool::Create(std::move(libpq_url), options));
  IZDE_RETURN_IF_ERROR(internal::PgMigrate(*pool, create));
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(pool)));
}

int PostgresStore::CurrentSchemaVersion() { return internal::PgLatestSchemaVersion(); }

Result<int> PostgresStore::SchemaVersion() {
  return internal::ReadOnly(*pool_, [](pqxx::transaction_base& txn) -> Result<int> {
    return internal::PgSchemaVersion(txn);
  });
}

std::string PostgresStore::Describe() const {
  // Leave out a password ("user:secret@") and the query string.
  std::string url = pool_->url().substr(0, pool_->url().find('?'));
  size_t scheme = url.find("://");
  size_t at = url.find('@');
  if (scheme != std::string::npos && at != std::string::npos) {
    size_t colon = url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) url.erase(colon, at - colon);
  }
  return url;
}

Result<std::unique_ptr<registry::StoreTransaction>> PostgresStore::Begin() {
  IZDE_ASSIGN_OR_RETURN(internal::PooledConnection connection, pool_->Acquire());
  try {
    auto work = std::make_unique<pqxx::work>(connection.get());
    return std::unique_ptr<registry::StoreTransaction>(
        new PgTransaction(std::move(connection), std::move(work)));
  } catch (const std::exception& error) {
    return internal::PgError(error, "BEGIN");
  }
}

Result<std::unique_ptr<registry::StoreReader>> PostgresStore::BeginRead() {
  IZDE_ASSIGN_OR_RETURN(internal::PooledConnection connection, pool_->Acquire());
  try {
    auto txn = std::make_unique<PgTransaction::ReadSnapshot>(connection.get());
    return std::unique_ptr<registry::StoreReader>(
        new PgTransaction(std::move(connection), std::move(txn)));
  } catch (const std::exception& error) {
    return internal::PgError(error, "BEGIN");
  }
}

Result<std::unique_ptr<registry::StoreTransaction>> PostgresStore::BeginBulk() {
  IZDE_ASSIGN_OR_RETURN(internal::PooledConnection connection, pool_->Acquire());
  try {
    auto work = std::make_unique<pqxx::work>(connection.get());
    pqxx::transaction_base& statements = *work;
    return internal::MakePgBulkTransaction(
        std::make_unique<PgTransaction>(std::move(connection), std::move(work)), statements);
  } catch (const std::exception& error) {
    return internal::PgError(error, "BEGIN");
  }
}

// A scan reads in batches; one repeatable-read snapshot makes the batches agree.
template <typename Fn>
Status Snapshot(ConnectionPool& pool, Fn fn) {
  IZDE_ASSIGN_OR_RETURN(internal::PooledConnection connection, pool.Acquire());
  try {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> txn(connection.get());
    PgOperations ops(txn);
    return fn(ops);
  } catch (const std::exception& error) {
    return internal::PgError(error, "scanning");
  }
}

Status PostgresStore::ScanPersons(const registry::PersonVisitor& visit) {
  return Snapshot(*pool_, [&](PgOperations& ops) { return ops.ScanPersons(visit); });
}
Status PostgresStore::ScanTestimonies(const registry::TestimonyVisitor& visit) {
  return Snapshot(*pool_, [&](PgOperations& ops) { return ops.ScanTestimonies(visit); });
}
Status PostgresStore::ScanEvents(const registry::EventVisitor& visit) {
  return Snapshot(*pool_, [&](PgOperations& ops) { return ops.ScanEvents(visit); });
}

#define IZDE_PG_READ(expr)                                             \
  return internal::ReadOnly(*pool_, [&](pqxx::transaction_base& txn) { \
    PgOperations ops(txn);                                             \
    return ops.expr;                                                   \
  })

Result<Person> PostgresStore::GetPerson(int64_t id) { IZDE_PG_READ(GetPerson(id)); }
Result<std::vector<Person>> PostgresStore::GetPersons(const std::vector<int64_t>& ids) {
  if (ids.empty()) return std::vector<Person>();
  IZDE_PG_READ(GetPersons(ids));
}
Result<Testimony> PostgresStore::GetTestimony(int64_t id) { IZDE_PG_READ(GetTestimony(id)); }
Result<Event> PostgresStore::GetEvent(int64_t id) { IZDE_PG_READ(GetEvent(id)); }
Result<Relation> PostgresStore::GetRelation(int64_t id) { IZDE_PG_READ(GetRelation(id)); }
Result<int64_t> PostgresStore::FindPersonByExternalId(std::string_view external_id) {
  IZDE_PG_READ(FindByExternalId("persons", external_id));
}
Result<int64_t> PostgresStore::FindTestimonyByExternalId(std::string_view external_id) {
  IZDE_PG_READ(FindByExternalId("testimonies", external_id));
}
Result<std::vector<Event>> PostgresStore::EventsOfPerson(int64_t person_id) {
  IZDE_PG_READ(EventsOfPerson(person_id));
}
Result<std::vector<Testimony>> PostgresStore::TestimoniesOfPerson(int64_t person_id) {
  IZDE_PG_READ(TestimoniesOfPerson(person_id));
}
Result<std::vector<Relation>> PostgresStore::RelationsOfPerson(int64_t person_id) {
  IZDE_PG_READ(RelationsOfPerson(person_id));
}
Result<std::vector<AuditEntry>> PostgresStore::History(std::string_view entity) {
  IZDE_PG_READ(History(entity));
}
Result<AuditEntry> PostgresStore::GetAuditEntry(int64_t id) { IZDE_PG_READ(GetAuditEntry(id)); }
Result<registry::StoreCounts> PostgresStore::Counts() { IZDE_PG_READ(Counts()); }
Result<int64_t> PostgresStore::CountPersons() { IZDE_PG_READ(CountPersons()); }
Result<User> PostgresStore::GetUser(int64_t id) { IZDE_PG_READ(GetUser(id)); }
Result<User> PostgresStore::FindUserByName(std::string_view name) {
  IZDE_PG_READ(FindUserByName(name));
}
Result<std::vector<User>> PostgresStore::ListUsers() { IZDE_PG_READ(ListUsers()); }
Result<Session> PostgresStore::GetSession(std::string_view token_hash) {
  IZDE_PG_READ(GetSession(token_hash));
}
Result<std::vector<Session>> PostgresStore::ListSessions(int64_t user_id) {
  IZDE_PG_READ(ListSessions(user_id));
}

Result<registry::Evidence> PostgresStore::GetEvidence(int64_t id) {
  return internal::ReadOnly(
      *pool_, [&](pqxx::transaction_base& txn) { return internal::PgGetEvidence(txn, id); });
}
Result<std::vector<registry::Evidence>> PostgresStore::EvidenceOfPerson(int64_t person_id) {
  return internal::ReadOnly(*pool_, [&](pqxx::transaction_base& txn) {
    return internal::PgEvidenceOfPerson(txn, person_id);
  });
}
Result<int64_t> PostgresStore::CountEvidence() {
  return internal::ReadOnly(
      *pool_, [](pqxx::transaction_base& txn) { return internal::PgCountEvidence(txn); });
}

#undef IZDE_PG_READ

registry::LinkageReader& PostgresStore::linkage() { return *linkage_; }

}  // namespace izde::store
