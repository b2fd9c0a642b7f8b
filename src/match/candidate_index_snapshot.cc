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
#include <bit>
#include <cstring>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
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
  // out, so that live records and keys are numbered anew, in their order.
  constexpr uint32_t kGone = UINT32_MAX;
  std::vector<uint32_t> record_of_slot(slots_.size(), kGone);
  uint64_t records = 0;
  size_t bytes = 0;
  for (size_t slot_idx = 0; slot_idx < slots_.size(); ++slot_idx) {
    if (!slots_[slot_idx].live) continue;
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
  for (const Slot& slot : slots_) {
    if (!slot.live) continue;
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
  for (size_t key_id = 0; key_id < postings_.size(); ++key_id) {
    const std::vector<uint32_t>& posting = postings_[key_id];
    if (posting.empty()) continue;
    PutVarint(out, key_texts_[key_id]->size());
    out.append(*key_texts_[key_id]);
    PutVarint(out, posting.size());
    const size_t at = out.size();
    out.resize(at + 4 * posting.size());
    char* write = out.data() + at;
    for (uint32_t slot_idx : posting) {
      const uint32_t record = record_of_slot[slot_idx];
      std::memcpy(write, &record, 4);
      write += 4;
    }
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
  slot_of_id.reserve(static_cast<size_t>(records));
  std::vector<size_t> key_ids_at(static_cast<size_t>(records));
  size_t name_forms = 0;
  for (size_t record_idx = 0; record_idx < slots.size(); ++record_idx) {
    Slot& slot = slots[record_idx];
    slot.id = in.Fixed<int64_t>();
    slot.birth_first = in.Fixed<int16_t>();
    slot.birth_last = in.Fixed<int16_t>();
    const uint8_t gender = in.Fixed<uint8_t>();
    slot.hometown.assign(in.String());
    slot.forms.assign(in.String());
    if (!in.ok()) return corrupt("record " + std::to_string(record_idx) + " is cut short");
    if (gender > static_cast<uint8_t>(Gender::kFemale)) {
      return corrupt("record " + std::to_string(slot.id) + " has gender " + std::to_string(gender));
    }
    slot.gender = static_cast<Gender>(gender);
    slot.live = true;
    size_t form_count = 0;
    std::optional<size_t> at = CheckForms(slot.forms, form_count);
    if (!at || form_count == 0) {
      return corrupt("the name forms of record " + std::to_string(slot.id) + " do not parse");
    }
    key_ids_at[record_idx] = *at;
    name_forms += form_count;
    if (!slot_of_id.try_emplace(slot.id, static_cast<uint32_t>(record_idx)).second) {
      return corrupt("record " + std::to_string(slot.id) + " appears twice");
    }
  }
  // The key ids each record keeps after its forms (FindSimilar and Remove read them).
  for (size_t record_idx = 0; record_idx < slots.size(); ++record_idx) {
    const std::string& forms = slots[record_idx].forms;
    Reader ids(std::string_view(forms).substr(key_ids_at[record_idx]));
    const uint64_t count = ids.Varint();
    for (uint64_t id_idx = 0; id_idx < count && ids.ok(); ++id_idx) {
      if (ids.Varint() >= keys) ids.Bytes(forms.size() + 1);  // fails the reader
    }
    if (!ids.ok() || ids.left() != 0) {
      return corrupt("the key ids of record " + std::to_string(slots[record_idx].id) +
                     " are wrong");
    }
  }

  std::unordered_map<std::string, uint32_t> key_ids;
  key_ids.reserve(static_cast<size_t>(keys));
  std::vector<const std::string*> key_texts(static_cast<size_t>(keys));
  std::vector<std::vector<uint32_t>> postings(static_cast<size_t>(keys));
  for (size_t key_id = 0; key_id < postings.size(); ++key_id) {
    std::string_view key = in.String();
    const uint64_t length = in.Varint();
    std::string_view entries = in.Bytes(length <= in.left() / 4 ? length * 4 : in.left() + 1);
    if (!in.ok()) return corrupt("key " + std::to_string(key_id) + " is cut short");
    if (key.empty() || length == 0) {
      return corrupt("key " + std::to_string(key_id) + " is empty or posts nothing");
    }
    auto [entry, inserted] = key_ids.try_emplace(std::string(key), static_cast<uint32_t>(key_id));
    if (!inserted) return corrupt("key '" + std::string(key) + "' appears twice");
    key_texts[key_id] = &entry->first;
    std::vector<uint32_t>& posting = postings[key_id];
    posting.resize(static_cast<size_t>(length));
    std::memcpy(posting.data(), entries.data(), entries.size());
    // Find walks postings by record number and binary-searches them: ascending, in range.
    for (size_t entry_idx = 0; entry_idx < posting.size(); ++entry_idx) {
      if (posting[entry_idx] >= records ||
          (entry_idx > 0 && posting[entry_idx] <= posting[entry_idx - 1])) {
        return corrupt("the posting of key '" + std::string(key) + "' is out of order");
      }
    }
  }
  if (in.left() != 0) return corrupt(std::to_string(in.left()) + " bytes follow the postings");

  std::unique_lock lock(mutex_);
  slots_ = std::move(slots);
  free_slots_.clear();
  slot_of_id_ = std::move(slot_of_id);
  key_ids_ = std::move(key_ids);  // nodes move with the table: key_texts stay valid
  key_texts_ = std::move(key_texts);
  postings_ = std::move(postings);
  name_forms_ = name_forms;
  RebuildLookups();  // the pre-ranking's fields, the key table and the written keys' deletions
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
