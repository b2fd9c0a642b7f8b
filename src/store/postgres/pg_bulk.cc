#include "store/postgres/pg_bulk.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/pg_changes.h"
#include "store/postgres/pg_connection.h"
#include "store/row_values.h"

namespace izde::store::internal {
namespace {

using registry::AuditEntry;
using registry::Event;
using registry::Person;
using registry::Testimony;

// Rows buffered (all tables together) before they are written. A COPY costs two round trips
// whatever its size; a few thousand rows keep the buffer to a few megabytes.
constexpr size_t kFlushRows = 8192;
constexpr size_t kFirstIdBlock = 64;
constexpr size_t kMaxIdBlock = 4096;

// The rows waiting for one COPY: values row after row, NULL as nullopt. The row is handed to
// libpqxx as a std::array (6.4's stream_to takes tuples only, not vectors) of C strings, where
// nullptr is NULL.
template <size_t kColumns>
class PendingTable {
 public:
  PendingTable(std::string name, std::array<std::string, kColumns> columns)
      : name_(std::move(name)), columns_(std::move(columns)) {}

  PendingTable& Text(std::string_view text) {
    values_.emplace_back(std::string(text));
    return *this;
  }
  PendingTable& TextOrNull(std::string_view text) { return text.empty() ? Null() : Text(text); }
  PendingTable& Int(int64_t value) { return Text(std::to_string(value)); }
  PendingTable& IdOrNull(int64_t id) { return id == 0 ? Null() : Int(id); }
  PendingTable& Null() {
    values_.emplace_back(std::nullopt);
    return *this;
  }
  // Text, earliest day, latest day (NULL, NULL when unknown), as the row statements bind it.
  PendingTable& Date(const PartialDate& date) {
    Text(date.ToString());
    if (date.unknown()) return Null().Null();
    return Int(int64_t{date.EarliestDay()}).Int(int64_t{date.LatestDay()});
  }

  size_t rows() const { return values_.size() / kColumns; }

  // One COPY of every buffered row; the buffer is empty afterwards, whatever happens.
  Status Write(pqxx::transaction_base& work) {
    if (values_.empty()) return OkStatus();
    std::vector<std::optional<std::string>> values = std::move(values_);
    values_.clear();
    try {
      pqxx::stream_to stream(work, name_, columns_);
      std::array<const char*, kColumns> row{};
      for (size_t start = 0; start < values.size(); start += kColumns) {
        for (size_t column = 0; column < kColumns; ++column) {
          const std::optional<std::string>& value = values[start + column];
          row[column] = value ? value->c_str() : nullptr;
        }
        stream << row;
      }
      stream.complete();
      return OkStatus();
    } catch (const std::exception& error) {
      return PgError(error, fmt::format("writing {} rows of {} in bulk (COPY)",
                                        values.size() / kColumns, name_));
    }
  }

 private:
  std::string name_;
  std::array<std::string, kColumns> columns_;
  std::vector<std::optional<std::string>> values_;
};

// Ids of one table, reserved from its sequence a block at a time.
class IdReserve {
 public:
  explicit IdReserve(std::string table) : table_(std::move(table)) {}

  // The id for a new row: `explicit_id` when it is not 0, else the next reserved one.
  Result<int64_t> Take(pqxx::transaction_base& work, int64_t explicit_id) {
    if (explicit_id != 0) {
      // Reserved ids up to it could collide with a later explicit id or hand out an id below
      // one already taken: drop them (a gap, never a reuse).
      if (next_ < reserved_.size() && reserved_[next_] <= explicit_id) next_ = reserved_.size();
      if (explicit_id > max_explicit_) max_explicit_ = explicit_id;
      return explicit_id;
    }
    if (next_ == reserved_.size()) IZDE_RETURN_IF_ERROR(Reserve(work));
    return reserved_[next_++];
  }

  // Moves the sequence past the explicit ids given so far, as InsertReturningId does.
  Status SyncSequence(pqxx::transaction_base& work) {
    if (max_explicit_ <= synced_explicit_) return OkStatus();
    IZDE_RETURN_IF_ERROR(
        Exec(work,
             fmt::format("SELECT setval('{0}_id_seq', GREATEST($1::bigint, (SELECT CASE WHEN "
                         "is_called THEN last_value ELSE 0 END FROM {0}_id_seq)))",
                         table_),
             Params().Int(max_explicit_))
            .status());
    synced_explicit_ = max_explicit_;
    return OkStatus();
  }

 private:
  Status Reserve(pqxx::transaction_base& work) {
    IZDE_RETURN_IF_ERROR(SyncSequence(work));
    IZDE_ASSIGN_OR_RETURN(
        pqxx::result rows,
        Exec(work,
             fmt::format("SELECT nextval('{}_id_seq') FROM generate_series(1, $1::int)", table_),
             Params().Int(static_cast<int64_t>(block_))));
    reserved_.clear();
    next_ = 0;
    for (const pqxx::row& row : rows) {
      int64_t id = internal::Int(row, 0);
      // Another writer's explicit id may lie in between: skip what is already taken.
      if (id > max_explicit_) reserved_.push_back(id);
    }
    block_ = std::min(block_ * 2, kMaxIdBlock);
    if (reserved_.empty()) return Reserve(work);
    return OkStatus();
  }

  std::string table_;
  std::vector<int64_t> reserved_;
  size_t next_ = 0;
  size_t block_ = kFirstIdBlock;
  int64_t max_explicit_ = 0;
  int64_t synced_explicit_ = 0;
};

class PgBulkTransaction final : public registry::StoreTransaction {
 public:
  PgBulkTransaction(std::unique_ptr<registry::StoreTransaction> inner, pqxx::transaction_base& work)
      : inner_(std::move(inner)),
        work_(work),
        now_(NowIso()),
        persons_("persons", {"id", "external_id", "gender", "birth_date", "birth_from", "birth_to",
                             "ethnicity", "hometown_code", "hometown_text", "occupation", "prc_id",
                             "privacy", "grade", "notes", "version", "created_at", "updated_at"}),
        names_("person_names", {"person_id", "position", "text", "script", "part", "source"}),
        testimonies_("testimonies", {"id", "external_id", "testifier_name", "testifier_contact",
                                     "date", "language", "medium", "summary", "transcript", "link",
                                     "consent", "version", "created_at"}),
        mentions_("mentions", {"testimony_id", "position", "person_id", "relation"}),
        events_("events",
                {"id", "person_id", "type", "date", "date_from", "date_to", "place_code",
                 "place_text", "testimony_id", "source", "note", "version", "created_at"}),
        audit_("audit",
               {"id", "at", "actor", "action", "entity", "person", "before", "after", "note"}) {}

  // --- buffered writes --------------------------------------------------------------------

  Result<int64_t> InsertPerson(const Person& person) override {
    IZDE_RETURN_IF_ERROR(broken_);
    IZDE_ASSIGN_OR_RETURN(int64_t id, Guard(person_ids_.Take(work_, person.id)));
    persons_.Int(id)
        .TextOrNull(person.external_id)
        .Text(registry::GenderName(person.gender))
        .Date(person.birth_date)
        .Text(person.ethnicity)
        .Text(person.hometown_code)
        .Text(person.hometown_text)
        .Text(person.occupation)
        .Text(person.prc_id)
        .Text(registry::PrivacyName(person.privacy))
        .Text(registry::GradeName(person.grade))
        .Text(person.notes)
        .Int(person.version)
        .Text(person.created_at.empty() ? now_ : person.created_at)
        .Text(person.updated_at.empty() ? now_ : person.updated_at);
    for (size_t position = 0; position < person.names.size(); ++position) {
      const registry::PersonName& name = person.names[position];
      names_.Int(id)
          .Int(static_cast<int64_t>(position))
          .Text(name.text)
          .Text(names::ScriptName(name.script))
          .Text(registry::NamePartName(name.part))
          .Text(name.source);
    }
    IZDE_RETURN_IF_ERROR(MaybeFlush());
    return id;
  }

  Result<int64_t> InsertTestimony(const Testimony& testimony) override {
    IZDE_RETURN_IF_ERROR(broken_);
    IZDE_ASSIGN_OR_RETURN(int64_t id, Guard(testimony_ids_.Take(work_, testimony.id)));
    testimonies_.Int(id)
        .TextOrNull(testimony.external_id)
        .Text(testimony.testifier_name)
        .Text(testimony.testifier_contact)
        .Text(testimony.date.ToString())
        .Text(testimony.language)
        .Text(registry::MediumName(testimony.medium))
        .Text(testimony.summary)
        .Text(testimony.transcript)
        .Text(testimony.link)
        .Text(registry::ConsentName(testimony.consent))
        .Int(testimony.version)
        .Text(testimony.created_at.empty() ? now_ : testimony.created_at);
    for (size_t position = 0; position < testimony.mentions.size(); ++position) {
      mentions_.Int(id)
          .Int(static_cast<int64_t>(position))
          .Int(testimony.mentions[position].person_id)
          .Text(testimony.mentions[position].relation);
    }
    IZDE_RETURN_IF_ERROR(MaybeFlush());
    return id;
  }

  Result<int64_t> InsertEvent(const Event& event) override {
    IZDE_RETURN_IF_ERROR(broken_);
    IZDE_ASSIGN_OR_RETURN(int64_t id, Guard(event_ids_.Take(work_, event.id)));
    events_.Int(id)
        .Int(event.person_id)
        .Text(registry::EventTypeName(event.type))
        .Date(event.date)
        .Text(event.place_code)
        .Text(event.place_text)
        .IdOrNull(event.source_testimony_id)
        .Text(event.source)
        .Text(event.note)
        .Int(event.version)
        .Text(event.created_at.empty() ? now_ : event.created_at);
    IZDE_RETURN_IF_ERROR(MaybeFlush());
    return id;
  }

  Result<int64_t> AppendAudit(const AuditEntry& entry) override {
    IZDE_RETURN_IF_ERROR(broken_);
    IZDE_ASSIGN_OR_RETURN(int64_t id, Guard(audit_ids_.Take(work_, 0)));
    written_audit_ids_.push_back(id);  // the change at commit, as PostgresStore's Commit
    audit_.Int(id)
        .Text(now_)
        .Text(entry.actor)
        .Text(entry.action)
        .Text(entry.entity)
        .Text(entry.person)
        .Text(entry.before)
        .Text(entry.after)
        .Text(entry.note);
    IZDE_RETURN_IF_ERROR(MaybeFlush());
    return id;
  }

  Status Commit() override {
    IZDE_RETURN_IF_ERROR(Flush());
    // The buffered audit entries went in by COPY, past the inner transaction's AppendAudit:
    // record them as one change here, so that other servers follow the import too.
    IZDE_RETURN_IF_ERROR(PgRecordChange(work_, written_audit_ids_));
    return inner_->Commit();
  }

  // --- everything else: write the buffer, then pass the call on -------------------------

#define IZDE_PG_THEN(call)       \
  IZDE_RETURN_IF_ERROR(Flush()); \
  return inner_->call

  Result<Person> GetPerson(int64_t id) override { IZDE_PG_THEN(GetPerson(id)); }
  Result<Testimony> GetTestimony(int64_t id) override { IZDE_PG_THEN(GetTestimony(id)); }
  Result<Event> GetEvent(int64_t id) override { IZDE_PG_THEN(GetEvent(id)); }
  Result<registry::Relation> GetRelation(int64_t id) override { IZDE_PG_THEN(GetRelation(id)); }
  Result<int64_t> FindPersonByExternalId(std::string_view external_id) override {
    IZDE_PG_THEN(FindPersonByExternalId(external_id));
  }
  Result<int64_t> FindTestimonyByExternalId(std::string_view external_id) override {
    IZDE_PG_THEN(FindTestimonyByExternalId(external_id));
  }
  Result<std::vector<Event>> EventsOfPerson(int64_t person_id) override {
    IZDE_PG_THEN(EventsOfPerson(person_id));
  }
  Result<std::vector<Testimony>> TestimoniesOfPerson(int64_t person_id) override {
    IZDE_PG_THEN(TestimoniesOfPerson(person_id));
  }
  Result<std::vector<registry::Relation>> RelationsOfPerson(int64_t person_id) override {
    IZDE_PG_THEN(RelationsOfPerson(person_id));
  }
  Result<std::vector<AuditEntry>> History(std::string_view entity) override {
    IZDE_PG_THEN(History(entity));
  }
  Result<AuditEntry> GetAuditEntry(int64_t id) override { IZDE_PG_THEN(GetAuditEntry(id)); }
  Result<registry::StoreCounts> Counts() override { IZDE_PG_THEN(Counts()); }
  Result<int64_t> CountPersons() override { IZDE_PG_THEN(CountPersons()); }
  Result<registry::User> GetUser(int64_t id) override { IZDE_PG_THEN(GetUser(id)); }
  Result<registry::User> FindUserByName(std::string_view name) override {
    IZDE_PG_THEN(FindUserByName(name));
  }
  Result<std::vector<registry::User>> ListUsers() override { IZDE_PG_THEN(ListUsers()); }
  Result<registry::Session> GetSession(std::string_view token_hash) override {
    IZDE_PG_THEN(GetSession(token_hash));
  }
  Result<std::vector<registry::Session>> ListSessions(int64_t user_id) override {
    IZDE_PG_THEN(ListSessions(user_id));
  }
  Result<registry::Evidence> GetEvidence(int64_t id) override { IZDE_PG_THEN(GetEvidence(id)); }
  Result<std::vector<registry::Evidence>> EvidenceOfPerson(int64_t person_id) override {
    IZDE_PG_THEN(EvidenceOfPerson(person_id));
  }
  Result<int64_t> CountEvidence() override { IZDE_PG_THEN(CountEvidence()); }

  Status UpdatePerson(const Person& person) override { IZDE_PG_THEN(UpdatePerson(person)); }
  Status DeletePerson(int64_t id) override { IZDE_PG_THEN(DeletePerson(id)); }
  Status UpdateTestimony(const Testimony& testimony) override {
    IZDE_PG_THEN(UpdateTestimony(testimony));
  }
  Status DeleteTestimony(int64_t id) override { IZDE_PG_THEN(DeleteTestimony(id)); }
  Status UpdateEvent(const Event& event) override { IZDE_PG_THEN(UpdateEvent(event)); }
  Status DeleteEvent(int64_t id) override { IZDE_PG_THEN(DeleteEvent(id)); }
  Result<int64_t> InsertRelation(const registry::Relation& relation) override {
    IZDE_PG_THEN(InsertRelation(relation));
  }
  Status DeleteRelation(int64_t id) override { IZDE_PG_THEN(DeleteRelation(id)); }
  Result<int64_t> InsertUser(const registry::User& user) override {
    IZDE_PG_THEN(InsertUser(user));
  }
  Status UpdateUser(const registry::User& user) override { IZDE_PG_THEN(UpdateUser(user)); }
  Status InsertSession(const registry::Session& session) override {
    IZDE_PG_THEN(InsertSession(session));
  }
  Status UpdateSession(const registry::Session& session) override {
    IZDE_PG_THEN(UpdateSession(session));
  }
  Result<int64_t> InsertEvidence(const registry::Evidence& evidence) override {
    IZDE_PG_THEN(InsertEvidence(evidence));
  }
  Status DeleteEvidence(int64_t id) override { IZDE_PG_THEN(DeleteEvidence(id)); }

#undef IZDE_PG_THEN

  // The linkage tables are not buffered; the buffer is written when they are reached. A
  // failure there is kept and returned by the next call.
  registry::LinkageReader& linkage() override {
    (void)Flush();
    return inner_->linkage();
  }
  registry::LinkageWriter& linkage_writer() override {
    (void)Flush();
    return inner_->linkage_writer();
  }

 private:
  // A failed reservation leaves the transaction aborted on the server: keep the error.
  Result<int64_t> Guard(Result<int64_t> id) {
    if (!id.ok()) broken_ = id.status();
    return id;
  }

  Status MaybeFlush() {
    size_t pending = persons_.rows() + names_.rows() + testimonies_.rows() + mentions_.rows() +
                     events_.rows() + audit_.rows();
    return pending >= kFlushRows ? Flush() : OkStatus();
  }

  template <size_t kColumns>
  Status Write(PendingTable<kColumns>& table) {
    return table.Write(work_);
  }

  // Parents before children, so that the foreign keys hold at each COPY.
  Status Flush() {
    IZDE_RETURN_IF_ERROR(broken_);
    broken_ = Write(persons_);
    if (broken_.ok()) broken_ = Write(names_);
    if (broken_.ok()) broken_ = Write(testimonies_);
    if (broken_.ok()) broken_ = Write(mentions_);
    if (broken_.ok()) broken_ = Write(events_);
    if (broken_.ok()) broken_ = Write(audit_);
    IZDE_RETURN_IF_ERROR(broken_);
    for (IdReserve* ids : {&person_ids_, &testimony_ids_, &event_ids_}) {
      broken_ = ids->SyncSequence(work_);
      IZDE_RETURN_IF_ERROR(broken_);
    }
    return OkStatus();
  }

  std::unique_ptr<registry::StoreTransaction> inner_;
  pqxx::transaction_base& work_;
  std::string now_;
  Status broken_ = OkStatus();
  IdReserve person_ids_{"persons"};
  IdReserve testimony_ids_{"testimonies"};
  IdReserve event_ids_{"events"};
  IdReserve audit_ids_{"audit"};
  PendingTable<17> persons_;
  PendingTable<6> names_;
  PendingTable<13> testimonies_;
  PendingTable<4> mentions_;
  PendingTable<13> events_;
  PendingTable<9> audit_;
  std::vector<int64_t> written_audit_ids_;
};

}  // namespace

std::unique_ptr<registry::StoreTransaction> MakePgBulkTransaction(
    std::unique_ptr<registry::StoreTransaction> inner, pqxx::transaction_base& work) {
  return std::make_unique<PgBulkTransaction>(std::move(inner), work);
}

}  // namespace izde::store::internal
