// CandidateIndex::SaveSnapshot and LoadSnapshot: the index as bytes and back, without analysing
// a name (docs/search.md "Index snapshot").
//
// The bytes, all integers little-endian:
//   u32 format (kSnapshotFormat), u64 records, u64 keys
//   per record, in slot order: i64 id, i16 birth_first, i16 birth_last, u8 gender,
//     varint hometown length and bytes, varint forms length and bytes (the slot's packed forms
//     and its key ids, renumbered: see candidate_index.cc)
//   per key, in key id order: varint key length and bytes, varint posting length, then the
//     posting's record numbers as u32, ascending
// Loading copies each array once into storage sized in advance: no name is analysed, no
// posting grows, and the hash tables are reserved before they are filled.
#include <algorithm>
#include <bit>
#include <cstring>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "match/candidate_index.h"
#include "match/packed_forms.h"
#include "names/name_parts.h"

namespace izde::match {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the snapshot copies integers as they lie in memory: little-endian only");

constexpr size_t kPackedStrings = 6;

void PutVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

template <typename T>
void PutFixed(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

// Reads bytes that may be anything: a read past the end, or a varint too long, marks the
// reader failed and returns zeros from then on.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool ok() const { return ok_; }
  size_t pos() const { return pos_; }
  size_t left() const { return bytes_.size() - pos_; }

  uint8_t Byte() {
    if (!ok_ || pos_ >= bytes_.size()) return Fail<uint8_t>();
    return static_cast<uint8_t>(bytes_[pos_++]);
  }

  uint64_t Varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const uint8_t byte = Byte();
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return ok_ ? value : 0;
    }
    return Fail<uint64_t>();
  }

  std::string_view Bytes(uint64_t length) {
    if (!ok_ || length > left()) return Fail<std::string_view>();
    std::string_view bytes = bytes_.substr(pos_, static_cast<size_t>(length));
    pos_ += static_cast<size_t>(length);
    return bytes;
  }

  std::string_view String() { return Bytes(Varint()); }

  template <typename T>
  T Fixed() {
    std::string_view bytes = Bytes(sizeof(T));
    if (!ok_) return T{};
    T value;
    std::memcpy(&value, bytes.data(), sizeof(T));
    return value;
  }

 private:
  template <typename T>
  T Fail() {
    ok_ = false;
    return T{};
  }

  std::string_view bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Checks the packed forms at the start of `packed` (the layout Pack writes in
// candidate_index.cc) and returns where the key ids begin, with the number of forms; nullopt
// when they do not parse or name a part role that does not exist.
std::optional<size_t> CheckForms(std::string_view packed, size_t& forms) {
  Reader in(packed);
  forms = in.Byte();
  for (size_t form_idx = 0; form_idx < forms && in.ok(); ++form_idx) {
    in.String();
    const size_t parts = in.Byte();
    for (size_t part_idx = 0; part_idx < parts && in.ok(); ++part_idx) {
      if (in.Byte() > static_cast<uint8_t>(names::PartRole::kInitial)) return std::nullopt;
      for (size_t text_idx = 0; text_idx < kPackedStrings; ++text_idx) in.String();
    }
  }
  if (!in.ok()) return std::nullopt;
  return in.pos();
}

}  // namespace

std::string CandidateIndex::SaveSnapshot() const {
  std::shared_lock lock(mutex_);
  // Removed records leave free slots, and keys whose postings they emptied: both are left
  // out, so that live records and keys are numbered anew: the records in Cluster's order (a
  // loaded index is numbered so), the keys in theirs.
  constexpr uint32_t kGone = UINT32_MAX;
  const std::vector<uint32_t> order = ClusterOrder();
  std::vector<uint32_t> record_of_slot(slots_.size(), kGone);
  uint64_t records = 0;
  size_t bytes = 0;
  for (uint32_t slot_idx : order) {
    record_of_slot[slot_idx] = static_cast<uint32_t>(records++);
    bytes += 24 + slots_[slot_idx].hometown.size() + slots_[slot_idx].forms.size();
  }
  std::vector<uint32_t> new_key(postings_.size(), kGone);
  uint64_t keys = 0;
  for (size_t key_id = 0; key_id < postings_.size(); ++key_id) {
    if (postings_[key_id].empty()) continue;
    new_key[key_id] = static_cast<uint32_t>(keys++);
    bytes += 10 + key_texts_[key_id]->size() + 4 * postings_[key_id].size();
  }

  std::string out;
  out.reserve(bytes + 32);
  PutFixed<uint32_t>(out, kSnapshotFormat);
  PutFixed<uint64_t>(out, records);
  PutFixed<uint64_t>(out, keys);
  std::string forms;
  for (uint32_t slot_idx : order) {
    const Slot& slot = slots_[slot_idx];
    PutFixed<int64_t>(out, slot.id);
    PutFixed<int16_t>(out, slot.birth_first);
    PutFixed<int16_t>(out, slot.birth_last);
    PutFixed<uint8_t>(out, static_cast<uint8_t>(slot.gender));
    PutVarint(out, slot.hometown.size());
    out.append(slot.hometown);
    // The forms as they are, then the key ids in the new numbering.
    size_t form_count = 0;
    const size_t key_ids_at = CheckForms(slot.forms, form_count).value_or(slot.forms.size());
    forms.assign(slot.forms, 0, key_ids_at);
    Reader ids(std::string_view(slot.forms).substr(key_ids_at));
    const uint64_t count = ids.Varint();
    PutVarint(forms, count);
    for (uint64_t id_idx = 0; id_idx < count; ++id_idx) {
      const uint64_t key_id = ids.Varint();
      PutVarint(forms, key_id < new_key.size() ? new_key[key_id] : 0);
    }
    PutVarint(out, forms.size());
    out.append(forms);
  }
  std::vector<uint32_t> numbers;  // a posting's records, ascending
  for (size_t key_id = 0; key_id < postings_.size(); ++key_id) {
    const std::vector<uint32_t>& posting = postings_[key_id];
    if (posting.empty()) continue;
    PutVarint(out, key_texts_[key_id]->size());
    out.append(*key_texts_[key_id]);
    PutVarint(out, posting.size());
    numbers.clear();
    for (uint32_t slot_idx : posting) numbers.push_back(record_of_slot[slot_idx]);
    std::sort(numbers.begin(), numbers.end());
    const size_t at = out.size();
    out.resize(at + 4 * numbers.size());
    std::memcpy(out.data() + at, numbers.data(), 4 * numbers.size());
  }
  return out;
}

Status CandidateIndex::LoadSnapshot(std::string_view bytes) {
  auto corrupt = [](const std::string& what) {
    return DataLossError("the index snapshot is not well formed: " + what);
  };
  Reader in(bytes);
  const uint32_t format = in.Fixed<uint32_t>();
  if (!in.ok()) return corrupt("it is too short");
  if (format != kSnapshotFormat) {
    return DataLossError("the index snapshot has format " + std::to_string(format) + ", not " +
                         std::to_string(kSnapshotFormat));
  }
  const uint64_t records = in.Fixed<uint64_t>();
  const uint64_t keys = in.Fixed<uint64_t>();
  // Counts are checked against the bytes left before anything is sized by them: a record
  // takes at least 16 bytes, a key at least 3.
  if (!in.ok() || records > in.left() / 16 || keys > in.left() / 3 || records >= UINT32_MAX ||
      keys >= UINT32_MAX) {
    return corrupt("its counts exceed its size");
  }

  std::vector<Slot> slots(static_cast<size_t>(records));
  std::unordered_map<int64_t, uint32_t> slot_of_id;
  std::unordered_map<std::string, uint32_t> key_ids;
  std::vector<const std::string*> key_texts(static_cast<size_t>(keys));
  std::vector<std::vector<uint32_t>> postings(static_cast<size_t>(keys));
  size_t name_forms = 0;

  // One record into `slot`, checked but for the key ids after its forms, which start at
  // `key_ids_at`.
  auto read_record = [](Reader& from, size_t record_idx, Slot& slot, size_t& forms,
                        size_t& key_ids_at) -> std::optional<std::string> {
    slot.id = from.Fixed<int64_t>();
    slot.birth_first = from.Fixed<int16_t>();
    slot.birth_last = from.Fixed<int16_t>();
    const uint8_t gender = from.Fixed<uint8_t>();
    slot.hometown.assign(from.String());
    slot.forms.assign(from.String());
    if (!from.ok()) return "record " + std::to_string(record_idx) + " is cut short";
    if (gender > static_cast<uint8_t>(Gender::kFemale)) {
      return "record " + std::to_string(slot.id) + " has gender " + std::to_string(gender);
    }
    slot.gender = static_cast<Gender>(gender);
    slot.live = true;
    std::optional<size_t> at = CheckForms(slot.forms, forms);
    if (!at || forms == 0) {
      return "the name forms of record " + std::to_string(slot.id) + " do not parse";
    }
    key_ids_at = *at;
    return std::nullopt;
  };
  // The key ids a record keeps after its forms (FindSimilar and Remove read them).
  auto check_key_ids = [keys](const Slot& slot, size_t key_ids_at) -> std::optional<std::string> {
    Reader ids(std::string_view(slot.forms).substr(key_ids_at));
    const uint64_t count = ids.Varint();
    for (uint64_t id_idx = 0; id_idx < count && ids.ok(); ++id_idx) {
      if (ids.Varint() >= keys) ids.Bytes(slot.forms.size() + 1);  // fails the reader
    }
    if (!ids.ok() || ids.left() != 0) {
      return "the key ids of record " + std::to_string(slot.id) + " are wrong";
    }
    return std::nullopt;
  };
  // Records [begin, end) from `from`, which starts at record `begin`.
  auto read_records = [&](Reader from, size_t begin, size_t end,
                          size_t& forms) -> std::optional<std::string> {
    for (size_t record_idx = begin; record_idx < end; ++record_idx) {
      size_t form_count = 0;
      size_t key_ids_at = 0;
      if (auto wrong = read_record(from, record_idx, slots[record_idx], form_count, key_ids_at)) {
        return wrong;
      }
      if (auto wrong = check_key_ids(slots[record_idx], key_ids_at)) return wrong;
      forms += form_count;
    }
    return std::nullopt;
  };
  // The slot of each id, from the ids in record order.
  auto index_ids = [&](const std::vector<int64_t>& ids) -> std::optional<std::string> {
    slot_of_id.reserve(ids.size());
    for (size_t record_idx = 0; record_idx < ids.size(); ++record_idx) {
      if (!slot_of_id.try_emplace(ids[record_idx], static_cast<uint32_t>(record_idx)).second) {
        return "record " + std::to_string(ids[record_idx]) + " appears twice";
      }
    }
    return std::nullopt;
  };
  // The keys and their postings, from `from` at the first key to the end of the bytes.
  auto read_keys = [&](Reader from) -> std::optional<std::string> {
    key_ids.reserve(static_cast<size_t>(keys));
    for (size_t key_id = 0; key_id < postings.size(); ++key_id) {
      std::string_view key = from.String();
      const uint64_t length = from.Varint();
      std::string_view entries =
          from.Bytes(length <= from.left() / 4 ? length * 4 : from.left() + 1);
      if (!from.ok()) return "key " + std::to_string(key_id) + " is cut short";
      if (key.empty() || length == 0) {
        return "key " + std::to_string(key_id) + " is empty or posts nothing";
      }
      auto [entry, inserted] =
          key_ids.try_emplace(std::string(key), static_cast<uint32_t>(key_id));
      if (!inserted) return "key '" + std::string(key) + "' appears twice";
      key_texts[key_id] = &entry->first;
      std::vector<uint32_t>& posting = postings[key_id];
      posting.resize(static_cast<size_t>(length));
      std::memcpy(posting.data(), entries.data(), entries.size());
      // Find walks postings by record number and binary-searches them: ascending, in range.
      for (size_t entry_idx = 0; entry_idx < posting.size(); ++entry_idx) {
        if (posting[entry_idx] >= records ||
            (entry_idx > 0 && posting[entry_idx] <= posting[entry_idx - 1])) {
          return "the posting of key '" + std::string(key) + "' is out of order";
        }
      }
    }
    if (from.left() != 0) return std::to_string(from.left()) + " bytes follow the postings";
    return std::nullopt;
  };

  // Two threads: this one reads the first half of the records and then maps ids to slots;
  // the other the second half and then the keys (at 1M persons the load took 0.3-0.5 s on
  // one core, most of it copying the records' forms into a million strings). Where the
  // records start each half, and the keys, is found first by skipping over the records'
  // lengths. Anything wrong, and the load starts again on this thread alone, record after
  // record, so that a damaged snapshot is refused with the same message as ever.
  bool loaded = false;
  if (records >= 2) {
    const size_t half = slots.size() / 2;
    std::vector<int64_t> ids(slots.size());
    Reader skip = in;
    Reader second_half = in;
    for (size_t record_idx = 0; record_idx < slots.size() && skip.ok(); ++record_idx) {
      if (record_idx == half) second_half = skip;
      ids[record_idx] = skip.Fixed<int64_t>();
      skip.Bytes(5);  // birth range, gender
      skip.String();  // hometown
      skip.String();  // forms
    }
    if (skip.ok()) {
      std::optional<std::string> second_wrong;
      size_t second_forms = 0;
      std::thread second([&] {
        second_wrong = read_records(second_half, half, slots.size(), second_forms);
        if (!second_wrong) second_wrong = read_keys(skip);
      });
      std::optional<std::string> first_wrong = read_records(in, 0, half, name_forms);
      if (!first_wrong) first_wrong = index_ids(ids);
      second.join();
      loaded = !first_wrong && !second_wrong;
      name_forms += second_forms;
    }
    if (!loaded) {
      slots.assign(slots.size(), Slot());
      slot_of_id = {};
      key_ids = {};
      key_texts.assign(key_texts.size(), nullptr);
      postings.assign(postings.size(), {});
      name_forms = 0;
    }
  }
  if (!loaded) {
    slot_of_id.reserve(static_cast<size_t>(records));
    std::vector<size_t> key_ids_at(static_cast<size_t>(records));
    for (size_t record_idx = 0; record_idx < slots.size(); ++record_idx) {
      Slot& slot = slots[record_idx];
      size_t form_count = 0;
      if (auto wrong = read_record(in, record_idx, slot, form_count, key_ids_at[record_idx])) {
        return corrupt(*wrong);
      }
      name_forms += form_count;
      if (!slot_of_id.try_emplace(slot.id, static_cast<uint32_t>(record_idx)).second) {
        return corrupt("record " + std::to_string(slot.id) + " appears twice");
      }
    }
    for (size_t record_idx = 0; record_idx < slots.size(); ++record_idx) {
      if (auto wrong = check_key_ids(slots[record_idx], key_ids_at[record_idx])) {
        return corrupt(*wrong);
      }
    }
    if (auto wrong = read_keys(in)) return corrupt(*wrong);
  }

  std::unique_lock lock(mutex_);
  slots_ = std::move(slots);
  free_slots_.clear();
  slot_of_id_ = std::move(slot_of_id);
  key_ids_ = std::move(key_ids);  // nodes move with the table: key_texts stay valid
  key_texts_ = std::move(key_texts);
  postings_ = std::move(postings);
  name_forms_ = name_forms;
  RebuildLookups();  // the pre-ranking's fields, the key table, origins, written deletions
  return OkStatus();
}

std::optional<IndexRecord> CandidateIndex::RecordOf(int64_t id) const {
  std::shared_lock lock(mutex_);
  auto found = slot_of_id_.find(id);
  if (found == slot_of_id_.end()) return std::nullopt;
  const Slot& slot = slots_[found->second];
  std::vector<names::NameAnalysis> forms;
  internal::UnpackForms(slot.forms, forms);
  IndexRecord record;
  record.id = slot.id;
  for (names::NameAnalysis& form : forms) record.names.push_back(std::move(form.input));
  record.fields.birth = {slot.birth_first, slot.birth_last};
  record.fields.hometown_code = slot.hometown;
  record.fields.gender = slot.gender;
  return record;
}

}  // namespace izde::match
