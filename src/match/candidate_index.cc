#include "match/candidate_index.h"

#include <sched.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "match/packed_forms.h"
#include "match/slot_numbers.h"
#include "names/analyze.h"
#include "names/keys.h"
#include "names/name_parts.h"
#include "names/similarity.h"

namespace izde::match {
namespace {

// Written keys, so that of the many persons sharing a phonetic key those who write a part of
// their name as the query does rank first (as a trigram engine would rank them): each part's
// ASCII form lower-cased, marked "=" ("Serikzhan Bilash" -> "=serikzhan", "=bilash"), and a
// Han part's pinyin reading. A shared written part is credited a sixteenth of its rarity, on
// top of the shared key: enough to order persons sharing the same keys (the namesakes spelt
// otherwise), too little to outweigh a rarer key or an agreeing birth year (2 bits), so that
// cross-script forms, which seldom share a written part, are not pushed out. Written keys
// have no near variants; their neighbours one edit away are looked up instead.
constexpr char kWrittenMark = '=';
constexpr float kWrittenFactor = 1.0F / 16;

void AddWrittenKeys(const names::NameAnalysis& name, std::vector<std::string>& keys) {
  auto add = [&keys](const std::string& ascii) {
    if (ascii.empty()) return;
    std::string key(1, kWrittenMark);
    for (char letter : ascii) {
      key.push_back(letter >= 'A' && letter <= 'Z' ? static_cast<char>(letter - 'A' + 'a')
                                                   : letter);
    }
    keys.push_back(std::move(key));
  };
  for (const names::NameAnalysis::Part& part : name.parts) {
    add(part.ascii);
    add(part.alt_ascii);
  }
}

// A record is also posted under the keys of its patronymics' and suffixed surnames' stems
// ("Тұрсынқызы" and "Tursynov" under TRSN): a Chinese form writes the father's name without
// the ending (吐尔逊), and its key alone would otherwise meet only the record's given name,
// shared by thousands. Find does not look up a query's stems: they bring everyone named after
// the father into the walk (match_bench at 1M with the year: typo recall@10 0.756 -> 0.750
// when they were, for cross-script 0.839 -> 0.841). FindSimilar and the bulk blocking, which
// read a record's own keys, do: there the record's duplicates written without the ending are
// what is looked for.
void AddStemKeys(const names::NameAnalysis& name, std::vector<std::string>& keys) {
  for (const names::NameAnalysis::Part& part : name.parts) {
    if (!part.stem_key.empty()) keys.push_back(part.stem_key);
  }
}

// Forms and keys of a record: every form analysed once.
struct Analysed {
  std::vector<names::NameAnalysis> forms;
  std::vector<std::string> keys;  // distinct blocking and written keys of all forms, sorted
};

Result<Analysed> AnalyseForms(const std::vector<std::string>& forms) {
  Analysed analysed;
  for (const std::string& form : forms) {
    IZDE_ASSIGN_OR_RETURN(names::NameAnalysis analysis, names::AnalyzeName(form));
    analysed.keys.insert(analysed.keys.end(), analysis.blocking_keys.begin(),
                         analysis.blocking_keys.end());
    if (!analysis.blocking_keys.empty()) {
      AddWrittenKeys(analysis, analysed.keys);
      AddStemKeys(analysis, analysed.keys);
    }
    analysed.forms.push_back(std::move(analysis));
  }
  std::sort(analysed.keys.begin(), analysed.keys.end());
  analysed.keys.erase(std::unique(analysed.keys.begin(), analysed.keys.end()), analysed.keys.end());
  return analysed;
}

// Near keys, so that a typo or a spelling one consonant away still meets the record: a key of
// three or more classes is also indexed as each of its one-class-shorter variants, marked "~"
// ("SLKJN" -> "~LKJN", "~SKJN", "~SLJN", "~SLKN", "~SLKJ"). A query key then looks for records
// with the same shorter variant (one class changed), with itself as a shorter variant (one
// class missing from the query) and with its own shorter variants as keys (one class too many).
constexpr char kNearMark = '~';
constexpr float kNearFactor = 0.5F;

std::vector<std::string> ShorterKeys(std::string_view key) {
  std::vector<std::string> shorter;
  if (key.size() < 3) return shorter;
  for (size_t dropped = 0; dropped < key.size(); ++dropped) {
    std::string variant;
    for (size_t idx = 0; idx < key.size(); ++idx) {
      // The same class twice in a row counts once, as in names::TurkicKey.
      if (idx == dropped || (!variant.empty() && variant.back() == key[idx])) continue;
      variant.push_back(key[idx]);
    }
    shorter.push_back(std::move(variant));
  }
  std::sort(shorter.begin(), shorter.end());
  shorter.erase(std::unique(shorter.begin(), shorter.end()), shorter.end());
  return shorter;
}

// The written keys one edit away from `key` (a letter deleted or changed, or two neighbours
// swapped) are looked up too, so that a query's written part meets the records that write it
// with one letter otherwise ("=serjkzhan" meets "=serikzhan") or one letter more
// ("=serikzhann"). A letter missing from the query is not looked for (insertions would double
// the lookups). The deletions and swaps (about 2 strings per letter) are looked up in the
// table of keys; the changed letters (25 per letter) are found through the index's table of
// deletions instead (CandidateIndex::WrittenSubstitutions, one probe per letter), in the
// order they would be met trying 'a' to 'z' at each position. Parts shorter than
// kMinNeighbourLetters are not expanded: one letter changes too much.
constexpr size_t kMinNeighbourLetters = 4;

template <typename Visit>
void ForEachWrittenDeletionOrSwap(const std::string& key, Visit visit) {
  if (key.size() < 1 + kMinNeighbourLetters) return;
  std::string variant;
  for (size_t at = 1; at < key.size(); ++at) {  // deleted
    variant = key;
    variant.erase(at, 1);
    visit(variant);
  }
  for (size_t at = 1; at + 1 < key.size(); ++at) {  // swapped
    if (key[at] == key[at + 1]) continue;
    variant = key;
    std::swap(variant[at], variant[at + 1]);
    visit(variant);
  }
}

// A 32-bit hash of `key` less its letter at `at`, and of `at`: keys one letter changed at `at`
// share it. FNV-1a, then a final mix so that the low bits (the place in the table) spread.
uint32_t DeletionHash(std::string_view key, size_t at) {
  constexpr uint64_t kPrime = 1099511628211ULL;
  uint64_t hash = 1469598103934665603ULL;
  for (size_t idx = 0; idx < key.size(); ++idx) {
    if (idx != at) hash = (hash ^ static_cast<uint8_t>(key[idx])) * kPrime;
  }
  hash = (hash ^ at) * kPrime;
  hash ^= hash >> 31;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 29;
  return static_cast<uint32_t>(hash ^ (hash >> 32));
}

constexpr uint32_t kNoKey = std::numeric_limits<uint32_t>::max();

// A 64-bit hash of a key's text for the index's table of keys: FNV-1a, then a final mix. The
// low bits place the key, the high 32 are kept to check before the text is compared.
uint64_t KeyHash(std::string_view key) {
  constexpr uint64_t kPrime = 1099511628211ULL;
  uint64_t hash = 1469598103934665603ULL;
  for (char letter : key) hash = (hash ^ static_cast<uint8_t>(letter)) * kPrime;
  hash ^= hash >> 31;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 29;
  return hash;
}

// What a record is posted under: its blocking and written keys and the blocking keys' marked
// shorter variants, sorted.
std::vector<std::string> IndexKeys(const std::vector<std::string>& keys) {
  std::vector<std::string> all = keys;
  for (const std::string& key : keys) {
    if (!key.empty() && key.front() == kWrittenMark) continue;
    for (std::string& shorter : ShorterKeys(key)) all.push_back(kNearMark + shorter);
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

// The lookups of a query key besides itself (see above).
std::vector<std::string> NearKeys(const std::string& key) {
  std::vector<std::string> near;
  if (key.size() >= 2) near.push_back(kNearMark + key);
  for (std::string& shorter : ShorterKeys(key)) {
    near.push_back(kNearMark + shorter);
    near.push_back(std::move(shorter));
  }
  return near;
}

// The packed forms of a slot: a byte with the number of forms, then per form its text and
// part count, then per part a role byte and six strings (ASCII form, key, stem, stem key,
// pinyin reading and its key). Every string is a varint length and its bytes. A form of a
// demo person takes about 60 bytes, against some 600 for a NameAnalysis.
constexpr size_t kMaxForms = 255;
constexpr size_t kMaxParts = 255;

void PutLength(std::string& out, size_t length) {
  while (length >= 0x80) {
    out.push_back(static_cast<char>((length & 0x7f) | 0x80));
    length >>= 7;
  }
  out.push_back(static_cast<char>(length));
}

void PutString(std::string& out, std::string_view text) {
  PutLength(out, text.size());
  out.append(text);
}

uint8_t RoleCode(std::string_view role) {
  for (uint8_t code = 0; code <= static_cast<uint8_t>(names::PartRole::kInitial); ++code) {
    if (names::PartRoleName(static_cast<names::PartRole>(code)) == role) return code;
  }
  return 0;  // kUnknown
}

std::string Pack(const std::vector<names::NameAnalysis>& forms) {
  std::string out;
  size_t count = std::min(forms.size(), kMaxForms);
  out.push_back(static_cast<char>(count));
  for (size_t form_idx = 0; form_idx < count; ++form_idx) {
    const names::NameAnalysis& form = forms[form_idx];
    PutString(out, form.input);
    size_t parts = std::min(form.parts.size(), kMaxParts);
    out.push_back(static_cast<char>(parts));
    for (size_t part_idx = 0; part_idx < parts; ++part_idx) {
      const names::NameAnalysis::Part& part = form.parts[part_idx];
      out.push_back(static_cast<char>(RoleCode(part.role)));
      for (const std::string* text :
           {&part.ascii, &part.key, &part.stem, &part.stem_key, &part.alt_ascii, &part.alt_key}) {
        PutString(out, *text);
      }
    }
  }
  return out;
}

// Reads what Pack wrote. Only Pack's output is ever read, so the reader trusts it.
class Unpacker {
 public:
  explicit Unpacker(std::string_view packed) : packed_(packed) {}

  uint8_t Byte() { return static_cast<uint8_t>(packed_[pos_++]); }

  size_t Length() {
    size_t length = 0;
    for (int shift = 0;; shift += 7) {
      uint8_t byte = Byte();
      length |= static_cast<size_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) break;
    }
    return length;
  }

  size_t Position() const { return pos_; }

  std::string_view String() {
    size_t length = Length();
    std::string_view text = packed_.substr(pos_, length);
    pos_ += length;
    return text;
  }

 private:
  std::string_view packed_;
  size_t pos_ = 0;
};

// Passes over the form `in` is at.
void SkipForm(Unpacker& in) {
  in.String();
  const size_t parts = in.Byte();
  for (size_t part_idx = 0; part_idx < parts; ++part_idx) {
    in.Byte();
    for (int text_idx = 0; text_idx < 6; ++text_idx) in.String();
  }
}

// Passes over the packed forms, leaving `in` at the key ids that follow them.
void SkipForms(Unpacker& in) {
  const size_t count = in.Byte();
  for (size_t form_idx = 0; form_idx < count; ++form_idx) SkipForm(in);
}

// After the forms, a slot keeps the ids of its blocking and written keys (not the near keys): a
// count and the ids, as varints. FindSimilar and Remove read them instead of analysing the names
// again.
void PutKeyIds(std::string& out, const std::vector<uint32_t>& key_ids) {
  PutLength(out, key_ids.size());
  for (uint32_t key_id : key_ids) PutLength(out, key_id);
}

std::vector<uint32_t> KeyIdsOf(std::string_view packed) {
  Unpacker in(packed);
  SkipForms(in);
  std::vector<uint32_t> key_ids(in.Length());
  for (uint32_t& key_id : key_ids) key_id = static_cast<uint32_t>(in.Length());
  return key_ids;
}

}  // namespace

namespace internal {

namespace {

// Unpacks the form `in` is at, numbering its parts with `numbers` where given.
void UnpackForm(std::string_view packed, Unpacker& in, names::NameAnalysis& form,
                PartNumbers* numbers) {
  form.input.assign(in.String());
  form.parts.resize(in.Byte());
  for (names::NameAnalysis::Part& part : form.parts) {
    const size_t begin = in.Position();
    part.role.assign(names::PartRoleName(static_cast<names::PartRole>(in.Byte())));
    for (std::string* text :
         {&part.ascii, &part.key, &part.stem, &part.stem_key, &part.alt_ascii, &part.alt_key}) {
      text->assign(in.String());
    }
    part.memo_id =
        numbers == nullptr ? 0 : numbers->Of(packed.substr(begin, in.Position() - begin));
  }
}

}  // namespace

std::string PackForms(const std::vector<names::NameAnalysis>& forms) { return Pack(forms); }

void UnpackForms(std::string_view packed, std::vector<names::NameAnalysis>& forms,
                 PartNumbers* numbers) {
  Unpacker in(packed);
  size_t count = in.Byte();
  forms.resize(count);
  for (names::NameAnalysis& form : forms) {
    const size_t form_begin = in.Position();
    UnpackForm(packed, in, form, numbers);
    form.memo_id =
        numbers == nullptr ? 0 : numbers->Of(packed.substr(form_begin, in.Position() - form_begin));
  }
}

std::span<const names::NameAnalysis* const> UnpackedForms::Of(std::string_view packed) {
  Unpacker in(packed);
  const size_t count = in.Byte();
  places_.clear();
  for (size_t form_idx = 0; form_idx < count; ++form_idx) {
    const size_t begin = in.Position();
    Unpacker form_in = in;
    SkipForm(in);
    const uint32_t number = numbers_.Of(packed.substr(begin, in.Position() - begin));
    if (place_of_.size() <= number) place_of_.resize(number + 1, 0);
    if (place_of_[number] == 0) {
      if (forms_.size() <= used_) forms_.resize(used_ + 1);
      names::NameAnalysis& form = forms_[used_];
      UnpackForm(packed, form_in, form, &numbers_);
      form.memo_id = number;
      place_of_[number] = static_cast<uint32_t>(++used_);
    }
    places_.push_back(place_of_[number] - 1);
  }
  // Pointers only now: forms_ may have moved while this record's forms were unpacked.
  of_.clear();
  for (uint32_t place : places_) of_.push_back(&forms_[place]);
  return of_;
}

void UnpackedForms::Clear() {
  numbers_.Clear();
  place_of_.clear();
  used_ = 0;
}

uint32_t PartNumbers::Of(std::string_view bytes) {
  uint32_t& number = numbers_.At(bytes);
  if (number == 0) number = static_cast<uint32_t>(numbers_.size());  // the next, from 1
  return number;
}

}  // namespace internal

namespace {

// A quick name similarity in [0, 1] of a packed slot to the query, read in place: for the best
// pair of query form and record form, the mean over the query's parts of the best part match
// (Jaro-Winkler of the ASCII forms or pinyin readings, 0.95 for equal keys). It knows no roles,
// stems or missing parts: it only orders candidates before the full comparison.
constexpr double kQuickNameBits = 10.0;

double QuickPartSimilarity(const names::NameAnalysis::Part& query, std::string_view ascii,
                           std::string_view key, std::string_view alt_ascii,
                           std::string_view alt_key) {
  double best = names::JaroWinkler(query.ascii, ascii);
  auto same_key = [](std::string_view left, std::string_view right) {
    return !left.empty() && left == right;
  };
  if (same_key(query.key, key) || same_key(query.alt_key, key) || same_key(query.key, alt_key)) {
    best = std::max(best, 0.95);
  }
  if (!alt_ascii.empty()) best = std::max(best, names::JaroWinkler(query.ascii, alt_ascii));
  if (!query.alt_ascii.empty()) best = std::max(best, names::JaroWinkler(query.alt_ascii, ascii));
  // Two pinyin readings: a Chinese name in Palladius Cyrillic against a Han one (names'
  // ScoreParts reads them the same way).
  if (!alt_ascii.empty() && !query.alt_ascii.empty()) {
    if (same_key(query.alt_key, alt_key)) best = std::max(best, 0.95);
    best = std::max(best, names::JaroWinkler(query.alt_ascii, alt_ascii));
  }
  return best;
}

double QuickNameSimilarity(std::string_view packed,
                           const std::vector<names::NameAnalysis>& query_names) {
  struct PartView {
    std::string_view ascii, key, alt_ascii, alt_key;
  };
  std::array<PartView, 16> parts{};
  Unpacker in(packed);
  const size_t forms = in.Byte();
  double best = 0;
  for (size_t form_idx = 0; form_idx < forms; ++form_idx) {
    in.String();  // the text
    const size_t count = in.Byte();
    size_t kept = 0;
    for (size_t part_idx = 0; part_idx < count; ++part_idx) {
      in.Byte();  // the role
      PartView view;
      view.ascii = in.String();
      view.key = in.String();
      in.String();  // stem
      in.String();  // stem key
      view.alt_ascii = in.String();
      view.alt_key = in.String();
      if (kept < parts.size()) parts[kept++] = view;
    }
    if (kept == 0) continue;
    for (const names::NameAnalysis& query : query_names) {
      if (query.parts.empty()) continue;
      double sum = 0;
      for (const names::NameAnalysis::Part& query_part : query.parts) {
        double part_best = 0;
        for (size_t part_idx = 0; part_idx < kept; ++part_idx) {
          const PartView& view = parts[part_idx];
          part_best = std::max(part_best, QuickPartSimilarity(query_part, view.ascii, view.key,
                                                              view.alt_ascii, view.alt_key));
        }
        sum += part_best;
      }
      best = std::max(best, sum / static_cast<double>(query.parts.size()));
    }
  }
  return best;
}

int16_t ClampYear(int year) { return static_cast<int16_t>(std::clamp(year, -32768, 32767)); }

// Heap held by a string beyond the object itself (short strings stay inline).
size_t HeapBytes(const std::string& text) { return text.capacity() > 15 ? text.capacity() + 1 : 0; }

// The pre-ranking's bonuses for birth year and hometown (`bonus_of` in FindAnalysed), in bits.
constexpr double kBirthInRange = 2.0;    // the record's birth years meet the query's
constexpr double kBirthNear = 0.0;       // one or two years off
constexpr double kBirthFar = -2.0;       // further off
constexpr double kSameCounty = 2.0;      // the hometowns' first 6 bytes
constexpr double kSamePrefecture = 1.0;  // else their first 4
static_assert(kBirthFar <= kBirthNear && kBirthNear <= kBirthInRange && 0 <= kSamePrefecture &&
              kSamePrefecture <= kSameCounty);

// How far apart those bonuses can set two candidates for `query`: a candidate of rarity r can
// pass one of rarity r' by rough score only where r + this > r'. The bounds that leave
// candidates out (the walk's closing, the pre-ranking's floor) allow for it, not for the most a
// bonus adds alone (a birth year far off lowers the other), so that they leave out no one the
// pre-ranking would have kept.
double FieldsBonusSpread(const Fields& query) {
  return (query.birth.known() ? kBirthInRange - kBirthFar : 0.0) +
         (query.hometown_code.size() >= 4 ? kSameCounty : 0.0);
}

// Scratch space of Find, kept between calls so that a query allocates little (taken from the
// index's pool for each query: CandidateIndex::ScratchLease, below).
// The candidates reached are numbered in the order they are met, and what a candidate
// gathers (its rarity sum, the group that last credited it, whether a key itself did) lies in
// a dense array by that number: the passes over the candidates (the check whether the walk
// can close, the pool-th best rarity, the pre-ranking) read it in order. Per slot there is
// only a bit (reached or not: 128 KB at 1M, it stays in the cache) and, for the slots
// reached, the low bits of their number (2 bytes a slot, read only where the bit is set;
// slot_numbers.h). At 1M the passes read an 8 MB array of marks by slot at random, a cache
// miss per candidate per pass, and the walks after closing read a mark for every posting
// entry: most of Find's own time (perf, docs/search.md, 30 November, evening).
struct CandidateMark {
  float rarity = 0;
  // The number (from 1) of the last key group that credited it (kGroupBits), and kKeyedBit
  // when it was credited through a key itself, not a near key.
  uint32_t group = 0;
};
constexpr uint32_t kKeyedBit = 0x80000000U;
constexpr uint32_t kGroupBits = ~kKeyedBit;

// A candidate reached, in the cheap pre-ranking.
struct Ranked {
  double rough;
  int64_t id;
  uint32_t slot_idx;
  bool near_only;
  double bonus;
  double quick = 0;
};

// The walk checks whether it can close before a posting longer than kCloseCheckAbove that is at
// least 1/kCloseCheckShare as long as the list of candidates found (FindAnalysed). The check
// counts in blocks the compiler vectorises (CountAbove), so it is checked more often than when
// it read the marks one by one (a quarter): at 200k the walk then closes in 99.5% of queries,
// not 74%, and walks 9,100 entries open, not 11,900 (at 1M: 38,500, not 39,300; counted).
constexpr size_t kCloseCheckAbove = 256;
constexpr size_t kCloseCheckShare = 16;

// How many entries ahead the pre-ranking asks for the slots' pre-ranks.
constexpr size_t kPrefetch = 16;

// How many entries ahead the open walk asks for the numbers of a posting's slots (2 MB of low bits
// at 1M, read or written at random): 32 against 16 took about 1.5% off Find (0.2-2.3% over nine
// rounds), 64 against 32 nothing sure (docs/search.md, "Find: the open walk asks for numbers 32
// entries ahead").
constexpr size_t kOpenPrefetch = 32;

// How many bytes of a candidate's packed forms are asked for before they are copied.
constexpr size_t kFormsPrefetch = 256;

// How many of `marks` hold a rarity above `bound`, counted until `enough` are (the check whether
// the walk can close: at 1M, ~70,000 marks read per query). Counted in blocks without a branch
// per mark, so that the compiler can compare several at once, in float: a float is above
// `bound` exactly when it is above the largest float not above `bound`.
constexpr size_t kCountBlock = 512;

// The blocks of the pre-ranking's one-pass floor (FindAnalysed), each passed over when
// CountAbove finds none in it at or above the floor.
constexpr size_t kFloorBlock = 64;

// The blocks of the walk after closing (FindAnalysed).
constexpr size_t kWalkBlock = 64;

size_t CountAbove(const CandidateMark* marks, size_t size, double bound, size_t enough) {
  float below = static_cast<float>(bound);
  if (static_cast<double>(below) > bound) {
    below = std::nextafter(below, -std::numeric_limits<float>::infinity());
  }
  size_t count = 0;
  for (size_t from = 0; from < size && count < enough; from += kCountBlock) {
    const size_t to = std::min(size, from + kCountBlock);
    uint32_t block = 0;
    for (size_t at = from; at < to; ++at) block += marks[at].rarity > below ? 1U : 0U;
    count += block;
  }
  return count;
}

// Numbers the query's parts for the comparisons kept per query (Scratch::comparisons).
void NumberQueryParts(std::vector<names::NameAnalysis>& query_names) {
  uint32_t number = internal::kQueryPartNumbers;
  for (names::NameAnalysis& name : query_names) {
    for (names::NameAnalysis::Part& part : name.parts) part.memo_id = ++number;
  }
}

// A candidate scored in full, copied out of the index so that scoring runs without the lock.
struct Pending {
  int64_t id;
  size_t forms_at;  // the packed forms: in Scratch::pending_forms, from here
  size_t forms_size;
  Fields fields;
  bool near_only;  // found through near keys alone
};

// A candidate to score, by the most its fields and names could total.
struct Bound {
  double bound;
  size_t pending_idx;
};

// A candidate scored, its explanation not yet written.
struct Scored {
  Score score;
  size_t pending_idx;
};

struct Scratch {
  std::vector<uint64_t> reached_bits;  // by slot: whether reached by this query
  std::vector<uint16_t> number_low;    // by slot: its number's low bits, where reached
  // By number: the slot, and what the candidate gathers. Only the first `found` (FindAnalysed)
  // hold this query's candidates: the vectors only grow, so that the open walk writes a
  // newcomer in place, without push_back's checks and stores of the vector's size.
  std::vector<uint32_t> reached;
  std::vector<CandidateMark> marks;
  // Per candidate reached (tens of thousands for a common name at 1M: allocated anew per query,
  // they were pages mapped and faulted in each time).
  std::vector<float> best_rarities;
  std::vector<uint32_t> above;  // numbers of the candidates that may pass the pre-ranking's floor
  std::vector<Ranked> ranked;
  std::vector<double> roughs;
  std::vector<uint32_t> newbies;  // slots a posting met first, admitted after its credits
  // The packed forms of the candidates scored in full, one after another.
  std::string pending_forms;
  // The forms and parts of the candidates scored in full, numbered by their packed bytes
  // (views into `pending_forms`), each distinct form unpacked once, and what their comparisons
  // with the query's names gave (ComparisonMemo): most candidates share most of their parts
  // and many their forms (at 1M, ~10% of a query's ~400 comparisons of parts are distinct, and
  // 18% of its ~150 forms).
  internal::UnpackedForms unpacked;
  ComparisonMemo comparisons;
  // The scoring's lists, kept with their room between queries (one a query allocated anew was
  // a block large enough to make glibc sweep its fastbins each time: malloc_consolidate).
  std::vector<Pending> pending;
  std::vector<Bound> order;
  std::vector<double> best_totals;
  std::vector<Scored> scored;
  std::vector<names::NameAnalysis> record_names;  // those explained
};

}  // namespace

// The scratch spaces of an index's queries: one per query running, taken from a pool and given
// back, the last given back taken first. The server runs a few searches at once (one per core)
// on any of its 64 threads: per thread, each of them held its own (4 bytes and a bit a
// record: 260 MB over 64 threads at 1M), cold in the cache whenever a thread's turn came.
struct CandidateIndex::FindScratch : Scratch {
  int cpu = -1;  // the core the last query that used it ended on (sched_getcpu), or -1
};

// A query takes the free scratch space last used on the core it runs on, whose arrays (the
// reached bits, the marks, the memo's tables) may still be in that core's cache; else the one
// freed last.
class CandidateIndex::ScratchLease {
 public:
  explicit ScratchLease(const CandidateIndex& index) : index_(index) {
    const int cpu = sched_getcpu();
    {
      std::lock_guard lock(index_.scratch_mutex_);
      std::vector<std::unique_ptr<FindScratch>>& free = index_.free_scratch_;
      if (!free.empty()) {
        size_t pick = free.size() - 1;
        for (size_t idx = free.size(); idx-- > 0;) {
          if (free[idx]->cpu == cpu) {
            pick = idx;
            break;
          }
        }
        scratch_ = std::move(free[pick]);
        free.erase(free.begin() + static_cast<std::ptrdiff_t>(pick));
      }
    }
    if (scratch_ == nullptr) scratch_ = std::make_unique<FindScratch>();
  }
  ~ScratchLease() {
    scratch_->cpu = sched_getcpu();
    std::lock_guard lock(index_.scratch_mutex_);
    index_.free_scratch_.push_back(std::move(scratch_));
  }
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  Scratch& operator*() const { return *scratch_; }

 private:
  const CandidateIndex& index_;
  std::unique_ptr<FindScratch> scratch_;
};

CandidateIndex::CandidateIndex(Scorer scorer, IndexOptions options)
    : scorer_(std::move(scorer)), options_(options) {}

CandidateIndex::~CandidateIndex() = default;

Result<CandidateIndex::Prepared> CandidateIndex::Prepare(const IndexRecord& record) {
  std::vector<std::string> forms;
  for (const std::string& name : record.names) {
    if (!name.empty()) forms.push_back(name);
  }
  if (forms.size() > kMaxForms) forms.resize(kMaxForms);
  IZDE_ASSIGN_OR_RETURN(Analysed analysed, AnalyseForms(forms));
  if (analysed.keys.empty()) {
    return InvalidArgumentError("record " + std::to_string(record.id) + " has no name to index");
  }
  Prepared prepared;
  prepared.id = record.id;
  prepared.packed = Pack(analysed.forms);
  prepared.keys = IndexKeys(analysed.keys);
  prepared.fields = record.fields;
  prepared.forms = forms.size();
  return prepared;
}

Status CandidateIndex::Add(const IndexRecord& record) {
  // Analysis (ICU) runs before the lock: readers wait only for the postings to change.
  IZDE_ASSIGN_OR_RETURN(Prepared prepared, Prepare(record));
  std::unique_lock lock(mutex_);
  Insert(std::move(prepared));
  return OkStatus();
}

std::vector<Status> CandidateIndex::AddBatch(const std::vector<IndexRecord>& records, int threads) {
  // Analysis is nearly all the cost of building an index; it runs on every thread, and the
  // records are then linked in their order, so that the index is the same as Add's.
  std::vector<std::optional<Prepared>> prepared(records.size());
  std::vector<Status> statuses(records.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t record_idx = next++; record_idx < records.size(); record_idx = next++) {
      Result<Prepared> result = Prepare(records[record_idx]);
      if (result.ok()) {
        prepared[record_idx] = std::move(*result);
      } else {
        statuses[record_idx] = result.status();
      }
    }
  };
  const size_t workers = std::min(records.size(), static_cast<size_t>(std::max(threads, 1)));
  {
    std::vector<std::jthread> helpers;
    for (size_t worker_idx = 1; worker_idx < workers; ++worker_idx) helpers.emplace_back(work);
    work();
  }
  std::unique_lock lock(mutex_);
  for (std::optional<Prepared>& record : prepared) {
    if (record) Insert(std::move(*record));
  }
  return statuses;
}

void CandidateIndex::Insert(Prepared prepared) {
  if (auto found = slot_of_id_.find(prepared.id); found != slot_of_id_.end()) {
    Unlink(found->second);
  }
  uint32_t slot_idx = 0;
  if (!free_slots_.empty()) {
    slot_idx = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot_idx = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[slot_idx];
  slot.id = prepared.id;
  slot.forms = std::move(prepared.packed);
  slot.hometown = prepared.fields.hometown_code;
  slot.birth_first = ClampYear(prepared.fields.birth.first);
  slot.birth_last = ClampYear(prepared.fields.birth.known() ? prepared.fields.birth.last : 0);
  slot.gender = prepared.fields.gender;
  slot.live = true;
  if (pre_rank_.size() < slots_.size()) pre_rank_.resize(slots_.size());
  pre_rank_[slot_idx] = PreRankOf(slot);
  slot_of_id_[prepared.id] = slot_idx;
  name_forms_ += prepared.forms;
  std::vector<uint32_t> own_keys;  // the ids of the blocking keys, kept in the slot
  std::vector<uint32_t> new_keys;
  for (const std::string& key : prepared.keys) {
    auto [entry, inserted] = key_ids_.try_emplace(key, static_cast<uint32_t>(postings_.size()));
    if (inserted) {
      postings_.emplace_back();
      key_texts_.push_back(&entry->first);
      NoteKey(entry->second);
      NoteDeletions(entry->second);
      new_keys.push_back(entry->second);
    }
    if (key.front() != kNearMark) own_keys.push_back(entry->second);
    std::vector<uint32_t>& posting = postings_[entry->second];
    // New slots come last; only a reused slot is inserted inside.
    if (posting.empty() || posting.back() < slot_idx) {
      posting.push_back(slot_idx);
    } else {
      posting.insert(std::lower_bound(posting.begin(), posting.end(), slot_idx), slot_idx);
    }
  }
  // Once the record's near keys exist too.
  for (uint32_t key_id : new_keys) NoteOrigins(key_id);
  PutKeyIds(slot.forms, own_keys);
  slot.forms.shrink_to_fit();
}

bool CandidateIndex::Remove(int64_t id) {
  std::unique_lock lock(mutex_);
  auto found = slot_of_id_.find(id);
  if (found == slot_of_id_.end()) return false;
  Unlink(found->second);
  return true;
}

void CandidateIndex::Unlink(uint32_t slot_idx) {
  Slot& slot = slots_[slot_idx];
  std::vector<std::string> keys;
  for (uint32_t key_id : KeyIdsOf(slot.forms)) keys.push_back(*key_texts_[key_id]);
  for (const std::string& key : IndexKeys(keys)) {
    auto key_id = key_ids_.find(key);
    if (key_id == key_ids_.end()) continue;
    std::vector<uint32_t>& posting = postings_[key_id->second];
    auto entry = std::lower_bound(posting.begin(), posting.end(), slot_idx);
    if (entry != posting.end() && *entry == slot_idx) posting.erase(entry);
  }
  name_forms_ -= static_cast<uint8_t>(slot.forms.front());  // the number of forms
  slot_of_id_.erase(slot.id);
  slot = Slot();
  pre_rank_[slot_idx] = PreRank();
  free_slots_.push_back(slot_idx);
}

void CandidateIndex::NoteDeletions(uint32_t key_id) {
  const std::string& key = *key_texts_[key_id];
  if (key.size() < 1 + kMinNeighbourLetters || key.front() != kWrittenMark) return;
  auto place = [this](Deletion deletion) {
    const size_t mask = deletions_.size() - 1;
    size_t idx = deletion.hash & mask;
    while (deletions_[idx].key_id != kNoKey) idx = (idx + 1) & mask;
    deletions_[idx] = deletion;
  };
  for (size_t at = 1; at < key.size(); ++at) {
    if ((deletion_count_ + 1) * 2 > deletions_.size()) {
      std::vector<Deletion> old = std::move(deletions_);
      deletions_.assign(std::max<size_t>(1024, old.size() * 2), Deletion());
      for (const Deletion& deletion : old) {
        if (deletion.key_id != kNoKey) place(deletion);
      }
    }
    place({DeletionHash(key, at), key_id});
    ++deletion_count_;
  }
}

CandidateIndex::PreRank CandidateIndex::PreRankOf(const Slot& slot) {
  PreRank pre_rank;
  const std::string& place = slot.hometown;
  pre_rank.place_size = static_cast<uint8_t>(std::min<size_t>(place.size(), 6));
  if (place.size() >= 4) std::memcpy(&pre_rank.place4, place.data(), 4);
  if (place.size() >= 6) std::memcpy(&pre_rank.place56, place.data() + 4, 2);
  pre_rank.birth_first = slot.birth_first;
  pre_rank.birth_last = slot.birth_last;
  return pre_rank;
}

uint32_t CandidateIndex::KeyIdOf(std::string_view key) const {
  if (key_table_.empty()) return kNoKeyId;
  const uint64_t hash = KeyHash(key);
  const auto check = static_cast<uint32_t>(hash >> 32);
  const size_t mask = key_table_.size() - 1;
  for (size_t idx = hash & mask; key_table_[idx].key_id != kNoKeyId; idx = (idx + 1) & mask) {
    const KeyPlace& place = key_table_[idx];
    if (place.hash == check && *key_texts_[place.key_id] == key) return place.key_id;
  }
  return kNoKeyId;
}

void CandidateIndex::NoteKey(uint32_t key_id) {
  auto place = [this](uint32_t placed_id) {
    const uint64_t hash = KeyHash(*key_texts_[placed_id]);
    const size_t mask = key_table_.size() - 1;
    size_t idx = hash & mask;
    while (key_table_[idx].key_id != kNoKeyId) idx = (idx + 1) & mask;
    key_table_[idx] = {static_cast<uint32_t>(hash >> 32), placed_id};
  };
  // Key ids are given in order, so the ids below `key_id` are the keys placed so far.
  if ((static_cast<size_t>(key_id) + 1) * 2 > key_table_.size()) {
    key_table_.assign(std::max<size_t>(1024, key_table_.size() * 2), KeyPlace());
    for (uint32_t placed_id = 0; placed_id < key_id; ++placed_id) place(placed_id);
  }
  place(key_id);
}

void CandidateIndex::NoteOrigins(uint32_t key_id) {
  if (origins_.size() < postings_.size()) origins_.resize(postings_.size());
  const std::string& key = *key_texts_[key_id];
  if (key.empty() || key.front() == kWrittenMark || key.front() == kNearMark) return;
  for (const std::string& shorter : ShorterKeys(key)) {
    const uint32_t near_id = KeyIdOf(kNearMark + shorter);
    if (near_id != kNoKeyId) origins_[near_id].push_back(key_id);
  }
}

void CandidateIndex::RebuildLookups() {
  pre_rank_.assign(slots_.size(), PreRank());
  for (size_t slot_idx = 0; slot_idx < slots_.size(); ++slot_idx) {
    if (slots_[slot_idx].live) pre_rank_[slot_idx] = PreRankOf(slots_[slot_idx]);
  }
  key_table_.clear();
  for (uint32_t key_id = 0; key_id < key_texts_.size(); ++key_id) NoteKey(key_id);
  origins_.assign(postings_.size(), {});
  for (uint32_t key_id = 0; key_id < key_texts_.size(); ++key_id) NoteOrigins(key_id);
  RebuildDeletions();
}

void CandidateIndex::RebuildDeletions() {
  deletions_.clear();
  deletion_count_ = 0;
  for (uint32_t key_id = 0; key_id < key_texts_.size(); ++key_id) NoteDeletions(key_id);
}

void CandidateIndex::WrittenSubstitutions(std::string_view key,
                                          std::vector<Substituted>& found) const {
  found.clear();
  if (deletions_.empty() || key.size() < 1 + kMinNeighbourLetters) return;
  const size_t mask = deletions_.size() - 1;
  for (size_t at = 1; at < key.size(); ++at) {
    const uint32_t hash = DeletionHash(key, at);
    for (size_t idx = hash & mask; deletions_[idx].key_id != kNoKey; idx = (idx + 1) & mask) {
      if (deletions_[idx].hash != hash) continue;
      const std::string_view other = *key_texts_[deletions_[idx].key_id];
      // What trying each letter 'a' to 'z' at `at` would find: the same length, another
      // lower-case letter at `at`, and the rest the same.
      if (other.size() != key.size()) continue;
      const char letter = other[at];
      if (letter == key[at] || letter < 'a' || letter > 'z') continue;
      if (other.substr(0, at) != key.substr(0, at) || other.substr(at + 1) != key.substr(at + 1)) {
        continue;
      }
      found.push_back({static_cast<uint32_t>(at), letter, deletions_[idx].key_id});
    }
  }
  std::sort(found.begin(), found.end(), [](const Substituted& left, const Substituted& right) {
    return left.at != right.at ? left.at < right.at : left.letter < right.letter;
  });
}

Result<std::vector<Candidate>> CandidateIndex::Find(const Query& query, int limit) const {
  if (limit < 1) return InvalidArgumentError("limit must be at least 1");
  std::vector<names::NameAnalysis> query_names;
  std::vector<std::string> query_keys;
  for (const std::string& name : query.names) {
    IZDE_ASSIGN_OR_RETURN(names::NameAnalysis analysis, names::AnalyzeName(name));
    query_keys.insert(query_keys.end(), analysis.blocking_keys.begin(),
                      analysis.blocking_keys.end());
    if (!analysis.blocking_keys.empty()) AddWrittenKeys(analysis, query_keys);
    query_names.push_back(std::move(analysis));
  }
  std::sort(query_keys.begin(), query_keys.end());
  query_keys.erase(std::unique(query_keys.begin(), query_keys.end()), query_keys.end());
  if (query_keys.empty()) return InvalidArgumentError("the query has no name to search for");
  NumberQueryParts(query_names);
  return FindAnalysed(query_names, query_keys, query.fields, query.min_score, limit, limit,
                      std::nullopt);
}

Result<std::vector<Candidate>> CandidateIndex::FindSimilar(int64_t id, int limit,
                                                           double min_score) const {
  if (limit < 1) return InvalidArgumentError("limit must be at least 1");
  std::vector<names::NameAnalysis> query_names;
  std::vector<std::string> query_keys;
  Fields fields;
  {
    std::shared_lock lock(mutex_);
    auto found = slot_of_id_.find(id);
    if (found == slot_of_id_.end()) {
      return NotFoundError("no record " + std::to_string(id) + " in the index");
    }
    const Slot& slot = slots_[found->second];
    internal::UnpackForms(slot.forms, query_names);
    for (uint32_t key_id : KeyIdsOf(slot.forms)) query_keys.push_back(*key_texts_[key_id]);
    fields.birth = {slot.birth_first, slot.birth_last};
    fields.hometown_code = slot.hometown;
    fields.gender = slot.gender;
  }
  std::sort(query_keys.begin(), query_keys.end());
  NumberQueryParts(query_names);
  // The record itself is among the candidates Find would rank: it takes one place of the
  // pre-ranking, as it would in Find with limit + 1, and is then left out.
  return FindAnalysed(query_names, query_keys, fields, min_score, limit, limit + 1, id);
}

Result<std::vector<Candidate>> CandidateIndex::FindAnalysed(
    const std::vector<names::NameAnalysis>& query_names, const std::vector<std::string>& query_keys,
    const Fields& query_fields, double min_score, int limit, int keep_limit,
    std::optional<int64_t> exclude_id) const {
  const ScratchLease lease(*this);
  Scratch& scratch = *lease;
  std::vector<Pending>& pending = scratch.pending;
  pending.clear();
  std::string& pending_forms = scratch.pending_forms;
  pending_forms.clear();
  auto forms_of = [&pending_forms](const Pending& entry) {
    return std::string_view(pending_forms).substr(entry.forms_at, entry.forms_size);
  };
  {
    std::shared_lock lock(mutex_);
    const size_t keep = static_cast<size_t>(
        std::max(options_.min_scored, keep_limit * std::max(options_.scored_per_result, 1)));
    // Ranked by rarity and fields, the best `pool` are compared quickly on their names, and
    // the best `keep` of those scored in full.
    const size_t pool = keep * static_cast<size_t>(std::max(options_.quick_per_scored, 1));
    // Blocking: every record sharing a key, ranked by the rarity of what it shares (a shared
    // "SLKJN" says more than a shared "MMT"). Rarest key first, so that the long postings of
    // common keys can be walked last, and only for the candidates already found.
    const double records = static_cast<double>(slot_of_id_.size()) + 1.0;
    // Each query key makes a group of lookups: the key itself, and its near keys at half weight
    // (NearKeys: one letter dropped on either side, or on both). A candidate gets from a group
    // the best of the lookups it is found by, so an exact key counts once, not once per letter.
    struct Lookup {
      const std::vector<uint32_t>* posting;
      float credit;
      bool near;
      // A near key "~S" with S a shorter variant of the group's own key K: walked as the
      // postings of the keys posted under it (origins_), less K's. K's records are all in
      // "~S", and K's own lookup, whose credit is higher, has credited them in this group
      // already; the walk of them changed nothing (at 1M, 23% of the entries walked).
      const std::vector<uint32_t>* origins = nullptr;
      uint32_t skip = kNoKeyId;
    };
    struct Group {
      std::vector<Lookup> lookups;  // best credit first
      float credit = 0;             // the best
      uint32_t own = kNoKeyId;      // the group's own key, where it is looked up
    };
    auto rarity_of = [&](const std::vector<uint32_t>& posting) {
      return static_cast<float>(std::log2(records / static_cast<double>(posting.size())));
    };
    // A near key shared by more than a share of the registry says next to nothing (half of
    // log2(64) bits at most) and would cost most of the walk: it is not looked up.
    const size_t near_limit =
        std::max(options_.long_posting, static_cast<size_t>(records * options_.near_max_share));
    auto lookup_id = [&](uint32_t key_id, float factor, bool near, Group& group) {
      const std::vector<uint32_t>& posting = postings_[key_id];
      if (posting.empty() || (near && posting.size() > near_limit)) return;
      for (const Lookup& seen : group.lookups) {
        if (seen.posting == &posting) return;
      }
      Lookup added{&posting, factor * rarity_of(posting), near};
      if (near && group.own != kNoKeyId && key_id < origins_.size()) {
        const std::vector<uint32_t>& origins = origins_[key_id];
        if (std::find(origins.begin(), origins.end(), group.own) != origins.end()) {
          added.origins = &origins;
          added.skip = group.own;
        }
      }
      group.lookups.push_back(added);
    };
    auto lookup = [&](const std::string& key, float factor, bool near, Group& group) {
      const uint32_t key_id = KeyIdOf(key);
      if (key_id != kNoKeyId) lookup_id(key_id, factor, near, group);
    };
    std::vector<Group> groups;
    std::vector<Substituted> substituted;
    for (const std::string& key : query_keys) {
      Group group;
      if (key.empty() || key.front() != kWrittenMark) {
        const uint32_t own = KeyIdOf(key);
        if (own != kNoKeyId) lookup_id(own, 1.0F, false, group);
        if (!group.lookups.empty()) group.own = own;
        for (const std::string& near : NearKeys(key)) lookup(near, kNearFactor, true, group);
      } else {
        lookup(key, kWrittenFactor, false, group);
        ForEachWrittenDeletionOrSwap(key, [&](const std::string& neighbour) {
          lookup(neighbour, kWrittenFactor * kNearFactor, true, group);
        });
        WrittenSubstitutions(key, substituted);
        for (const Substituted& neighbour : substituted) {
          lookup_id(neighbour.key_id, kWrittenFactor * kNearFactor, true, group);
        }
      }
      if (group.lookups.empty()) continue;
      std::sort(group.lookups.begin(), group.lookups.end(),
                [](const Lookup& left, const Lookup& right) { return left.credit > right.credit; });
      group.credit = group.lookups.front().credit;
      groups.push_back(std::move(group));
    }
    std::sort(groups.begin(), groups.end(),
              [](const Group& left, const Group& right) { return left.credit > right.credit; });
    const double bonus_spread = FieldsBonusSpread(query_fields);
    // rest[i]: the most a candidate first met in group i can gather from groups i.., and the
    // most the fields can then put it ahead of another.
    std::vector<double> rest(groups.size() + 1, bonus_spread);
    for (size_t group_idx = groups.size(); group_idx-- > 0;) {
      rest[group_idx] = rest[group_idx + 1] + groups[group_idx].credit;
    }

    const size_t bit_words = (slots_.size() + 63) / 64;
    if (scratch.reached_bits.size() < bit_words) scratch.reached_bits.resize(bit_words);
    if (scratch.number_low.size() < slots_.size()) scratch.number_low.resize(slots_.size());
    uint64_t* const bits = scratch.reached_bits.data();
    uint16_t* const number_low = scratch.number_low.data();
    size_t found = 0;  // candidates reached
    uint32_t* reached = scratch.reached.data();
    CandidateMark* marks = scratch.marks.data();
    // Room for `more` newcomers past those found.
    auto make_room = [&](size_t more) {
      if (scratch.reached.size() >= found + more) return;
      const size_t room = std::max(found + more, 2 * scratch.reached.size());
      scratch.reached.resize(room);
      scratch.marks.resize(room);
      reached = scratch.reached.data();
      marks = scratch.marks.data();
    };
    bool closed = false;  // no new candidate can reach the best `pool` (the pre-ranking's)
    for (size_t group_idx = 0; group_idx < groups.size(); ++group_idx) {
      const auto mark = static_cast<uint32_t>(group_idx + 1);
      for (const Lookup& entry : groups[group_idx].lookups) {
        const std::vector<uint32_t>& posting = *entry.posting;
        double open_bound = -1.0;  // the bound of a close check made here that left it open
        if (!closed && found >= pool &&
            (posting.size() > options_.long_posting ||
             (posting.size() > kCloseCheckAbove && posting.size() * kCloseCheckShare >= found))) {
          // Closed once `pool` candidates already hold more than anyone first met here could:
          // this lookup's credit, the best of every later group and the fields' spread (a
          // newcomer's bonus may be the highest, theirs the lowest). Checked before every long
          // posting, and before shorter ones that cost at least 1/kCloseCheckShare of the check
          // (it reads the marks of the candidates found): at 200k, the near keys' postings of a
          // common part (up to 4,096 slots each, a dozen per part) were walked in full, after the
          // walk could have closed. Closing sooner changes no answer: no one left out could have
          // entered the best `pool` (ties included: "more than"), whom the quick comparison
          // (when on) narrows to the `keep` scored in full.
          const double bound = static_cast<double>(entry.credit) + rest[group_idx + 1];
          closed = CountAbove(marks, found, bound, pool) >= pool;
          if (!closed) open_bound = bound;
        }
        const uint32_t keyed = entry.near ? 0 : kKeyedBit;
        auto credit = [&](CandidateMark& candidate) {
          if ((candidate.group & kGroupBits) == mark) return;
          candidate.group = mark | (candidate.group & kKeyedBit) | keyed;
          candidate.rarity += entry.credit;
        };
        // Credits the candidates found among `size` slots of a posting, block by block: the
        // slots reached are gathered without a branch (a bit read per entry, from the cache),
        // their numbers asked for at once, and credited a block later, when the numbers have
        // come (at 1M, 3% of Find's CPU against a branch and a prefetch per entry). The slots
        // not reached are appended to `unreached` in their order, when it is given.
        auto credit_found = [&](const uint32_t* slots, size_t size,
                                std::vector<uint32_t>* unreached) {
          uint32_t held[2][kWalkBlock];
          uint32_t others[kWalkBlock];
          size_t held_count[2] = {0, 0};
          size_t filling = 0;
          for (size_t from = 0; from < size + kWalkBlock; from += kWalkBlock) {
            size_t count = 0;
            if (from < size) {
              const size_t to = std::min(size, from + kWalkBlock);
              uint32_t* out = held[filling];
              if (unreached == nullptr) {
                // The walk after closing (~48,500 entries a query at 1M, 22% of them reached):
                // one store an entry, not a second one into `others`, which nobody reads then
                // (Find -3%, docs/search.md "Find: the walk after closing stores only the slots
                // reached").
                for (size_t at = from; at < to; ++at) {
                  const uint32_t slot_idx = slots[at];
                  out[count] = slot_idx;
                  count += static_cast<size_t>((bits[slot_idx >> 6] >> (slot_idx & 63)) & 1U);
                }
              } else {
                size_t other_count = 0;
                for (size_t at = from; at < to; ++at) {
                  const uint32_t slot_idx = slots[at];
                  const auto seen =
                      static_cast<size_t>((bits[slot_idx >> 6] >> (slot_idx & 63)) & 1U);
                  out[count] = slot_idx;
                  others[other_count] = slot_idx;
                  count += seen;
                  other_count += 1 - seen;
                }
                unreached->insert(unreached->end(), others, others + other_count);
              }
              for (size_t idx = 0; idx < count; ++idx) __builtin_prefetch(&number_low[out[idx]]);
            }
            held_count[filling] = count;
            const size_t ready = filling ^ 1U;
            for (size_t idx = 0; idx < held_count[ready]; ++idx) {
              credit(marks[internal::NumberOfSlot(number_low, reached, found, held[ready][idx])]);
            }
            held_count[ready] = 0;
            filling = ready;
          }
        };
        // Walks `size` slots open: a slot reached is credited, a newcomer admitted. The count of
        // candidates is kept in a register: `found`, which the lambdas here share, would be read
        // and written through memory for every newcomer.
        auto walk_open = [&](const uint32_t* slots, size_t size) {
          make_room(size);
          const CandidateMark newcomer{entry.credit, mark | keyed};
          size_t admitted = found;
          uint32_t* const reached_now = reached;
          CandidateMark* const marks_now = marks;
          for (size_t at = 0; at < size; ++at) {
            if (at + kOpenPrefetch < size) {
              __builtin_prefetch(&number_low[slots[at + kOpenPrefetch]], 1);
            }
            const uint32_t slot_idx = slots[at];
            uint64_t& word = bits[slot_idx >> 6];
            const uint64_t bit = uint64_t{1} << (slot_idx & 63);
            if ((word & bit) != 0) {
              credit(
                  marks_now[internal::NumberOfSlot(number_low, reached_now, admitted, slot_idx)]);
            } else {
              word |= bit;
              number_low[slot_idx] = internal::LowBitsOf(admitted);
              reached_now[admitted] = slot_idx;
              marks_now[admitted] = newcomer;
              ++admitted;
            }
          }
          found = admitted;
        };
        // The postings walked for this lookup: its own, or those of its origins less the one
        // skipped.
        const size_t parts = entry.origins == nullptr ? 1 : entry.origins->size();
        auto for_each_part = [&](auto&& walk) {
          for (size_t part_idx = 0; part_idx < parts; ++part_idx) {
            if (entry.origins != nullptr && (*entry.origins)[part_idx] == entry.skip) continue;
            walk(entry.origins == nullptr ? posting : postings_[(*entry.origins)[part_idx]]);
          }
        };
        if (open_bound >= 0 && group_idx > 0) {
          // Still open before a long posting of a later group: it first credits the candidates
          // found and notes the slots it meets first; the check is made again, and those are
          // admitted only if the walk is still open (at 1M it closes there most of the time).
          std::vector<uint32_t>& newbies = scratch.newbies;
          newbies.clear();
          for_each_part([&](const std::vector<uint32_t>& part) {
            credit_found(part.data(), part.size(), &newbies);
          });
          closed = CountAbove(marks, found, open_bound, pool) >= pool;
          if (!closed) {
            walk_open(newbies.data(), newbies.size());  // a slot met twice: credited once
          }
          continue;
        }
        // Once closed, near keys still credit the candidates found: a misspelt part met only
        // through its near key must still lift the person above those sharing only the other,
        // common, part (at 1M, typo queries with a birth year: recall@10 0.555 -> 0.763).
        // The numbers of a posting's slots are far apart (at 1M 2 MB of low bits): in the open walk
        // each is asked for kOpenPrefetch entries ahead, so that the walk does not wait on
        // memory; after closing, only those of slots reached (the bits say which, from the cache).
        for_each_part([&](const std::vector<uint32_t>& part) {
          const size_t size = part.size();
          const uint32_t* slots = part.data();
          if (!closed) {
            walk_open(slots, size);
          } else if (found * 16 < size) {
            for (size_t found_idx = 0; found_idx < found; ++found_idx) {
              if (std::binary_search(part.begin(), part.end(), reached[found_idx])) {
                credit(marks[found_idx]);
              }
            }
          } else {
            credit_found(slots, size, nullptr);
          }
        });
      }
    }
    // The bits are cleared for the next query: one by one when few (in the cache), else all.
    if (found < bit_words) {
      for (size_t found_idx = 0; found_idx < found; ++found_idx) bits[reached[found_idx] >> 6] = 0;
    } else {
      std::fill_n(bits, bit_words, uint64_t{0});
    }

    // The best `keep` by rarity and fields; fields are looked at only for candidates whose
    // rarity leaves them a chance: at least the pool-th best rarity less the bonuses' spread
    // (the floor). One pass finds the pool-th best rarity with a min-heap of the best
    // `pool` so far, and keeps the numbers of the candidates at or above the floor as it
    // stands then: it only rises, so they hold every candidate at or above the final one.
    // (At 1M a query reaches ~28,000 candidates and ~700 pass: `nth_element` over a copy of
    // every sum and a second pass over them all were 15% of Find, perf, 1 December.)
    std::vector<float>& best = scratch.best_rarities;  // a min-heap: the best `pool` so far
    std::vector<uint32_t>& above = scratch.above;
    best.clear();
    above.clear();
    size_t mark_idx = 0;
    for (; mark_idx < found && best.size() < pool; ++mark_idx) {
      best.push_back(marks[mark_idx].rarity);
      std::push_heap(best.begin(), best.end(), std::greater<>());
      above.push_back(static_cast<uint32_t>(mark_idx));
    }
    // Then block by block: a block none of whose rarities reaches the floor as it stands
    // changes neither the heap (its least is at or above the floor) nor `above`, so it is
    // passed over after one CountAbove (above the double just below the floor: at it or
    // above).
    while (mark_idx < found) {
      const size_t to = std::min(found, mark_idx + kFloorBlock);
      const double floor_now = static_cast<double>(best.front()) - bonus_spread;
      const double below_floor =
          std::nextafter(floor_now, -std::numeric_limits<double>::infinity());
      if (CountAbove(marks + mark_idx, to - mark_idx, below_floor, 1) == 0) {
        mark_idx = to;
        continue;
      }
      for (; mark_idx < to; ++mark_idx) {
        const float rarity = marks[mark_idx].rarity;
        if (rarity > best.front()) {
          std::pop_heap(best.begin(), best.end(), std::greater<>());
          best.back() = rarity;
          std::push_heap(best.begin(), best.end(), std::greater<>());
        }
        if (static_cast<double>(rarity) >= static_cast<double>(best.front()) - bonus_spread) {
          above.push_back(static_cast<uint32_t>(mark_idx));
        }
      }
    }
    // As the pool-th of the sums sorted best first, when there are more than `pool`.
    const double floor = found > pool ? static_cast<double>(best.front()) - bonus_spread : 0.0;
    // The cheap pre-ranking of candidates, in the same units (bits) as the full score, from what
    // pre_rank_ holds: +2 for a birth year in range (0 one or two years off, else -2), +2 for
    // the same county (the hometowns' first 6 bytes), else +1 for the same prefecture (4). The
    // query's hometown is kept as a slot's is, to compare it the same way.
    PreRank query_place;
    {
      Slot place_slot;
      place_slot.hometown = query_fields.hometown_code;
      query_place = PreRankOf(place_slot);
    }
    const bool query_birth = query_fields.birth.known();
    auto bonus_of = [&](const PreRank& pre_rank) {
      double bonus = 0;
      if (query_birth && pre_rank.birth_first != 0) {
        const int gap = std::max({0, query_fields.birth.first - pre_rank.birth_last,
                                  pre_rank.birth_first - query_fields.birth.last});
        bonus += gap == 0 ? kBirthInRange : gap <= 2 ? kBirthNear : kBirthFar;
      }
      if (query_place.place_size >= 4 && pre_rank.place_size >= 4) {
        if (query_place.place_size == 6 && pre_rank.place_size == 6 &&
            pre_rank.place4 == query_place.place4 && pre_rank.place56 == query_place.place56) {
          bonus += kSameCounty;
        } else if (pre_rank.place4 == query_place.place4) {
          bonus += kSamePrefecture;
        }
      }
      return bonus;
    };
    std::vector<Ranked>& ranked = scratch.ranked;
    ranked.clear();
    for (size_t above_idx = 0; above_idx < above.size(); ++above_idx) {
      if (above_idx + kPrefetch < above.size() &&
          static_cast<double>(marks[above[above_idx + kPrefetch]].rarity) >= floor) {
        // Only the slots that pass the floor are read.
        __builtin_prefetch(&pre_rank_[reached[above[above_idx + kPrefetch]]]);
      }
      const uint32_t at = above[above_idx];
      const CandidateMark& candidate = marks[at];
      const double sum = static_cast<double>(candidate.rarity);
      if (sum < floor) continue;
      const uint32_t slot_idx = reached[at];
      const bool near_only = (candidate.group & kKeyedBit) == 0;
      const double bonus = bonus_of(pre_rank_[slot_idx]);
      ranked.push_back({sum + bonus, 0, slot_idx, near_only, bonus});
    }
    // Only those at or above the pool-th best rough score can be among the best `pool` (by
    // rough score, then id): the others' ids are never read.
    if (ranked.size() > pool) {
      std::vector<double>& roughs = scratch.roughs;
      roughs.clear();
      for (const Ranked& entry : ranked) roughs.push_back(entry.rough);
      std::nth_element(roughs.begin(), roughs.begin() + static_cast<std::ptrdiff_t>(pool - 1),
                       roughs.end(), std::greater<>());
      const double threshold = roughs[pool - 1];
      std::erase_if(ranked, [threshold](const Ranked& entry) { return entry.rough < threshold; });
    }
    for (Ranked& entry : ranked) entry.id = slots_[entry.slot_idx].id;
    const size_t pooled = std::min(ranked.size(), pool);
    // Ties go to the lower id so that results do not depend on the order of postings.
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(pooled),
                      ranked.end(), [](const Ranked& left, const Ranked& right) {
                        if (left.rough != right.rough) return left.rough > right.rough;
                        return left.id < right.id;
                      });
    ranked.resize(pooled);
    const size_t scored = std::min(ranked.size(), keep);
    if (ranked.size() > keep) {
      // The quick name comparison, in bits like the fields: a name that compares perfectly
      // counts kQuickNameBits, and the rarity of shared keys breaks ties.
      for (Ranked& entry : ranked) {
        entry.quick =
            kQuickNameBits * QuickNameSimilarity(slots_[entry.slot_idx].forms, query_names) +
            entry.bonus;
      }
      std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(scored),
                        ranked.end(), [](const Ranked& left, const Ranked& right) {
                          if (left.quick != right.quick) return left.quick > right.quick;
                          if (left.rough != right.rough) return left.rough > right.rough;
                          return left.id < right.id;
                        });
    }
    ranked.resize(scored);
    pending.reserve(scored);
    // Each slot's packed forms lie in a heap block of their own, a cache miss each when
    // copied one after another (perf at 200k: the copy's memmove 6.6% of the queries'
    // samples); their first lines are asked for all at once first.
    for (const Ranked& entry : ranked) {
      const std::string& forms = slots_[entry.slot_idx].forms;
      for (size_t line = 0; line < std::min<size_t>(forms.size(), kFormsPrefetch); line += 64) {
        __builtin_prefetch(forms.data() + line);
      }
    }
    for (const Ranked& entry : ranked) {
      const Slot& slot = slots_[entry.slot_idx];
      if (exclude_id && slot.id == *exclude_id) continue;
      Fields fields;
      fields.birth = {slot.birth_first, slot.birth_last};
      fields.hometown_code = slot.hometown;
      fields.gender = slot.gender;
      pending.push_back(
          {slot.id, pending_forms.size(), slot.forms.size(), std::move(fields), entry.near_only});
      pending_forms.append(slot.forms);
    }
  }

  // Compared on names best bound first: a candidate can score at most its other fields'
  // weights plus the best name weight. Once `limit` candidates are found, one whose bound is
  // below the last of them cannot enter the result, nor can anyone after it; nor can one whose
  // bound is below `min_score`. The slack absorbs rounding between the bound and the total.
  constexpr double kSlack = 1e-9;
  const double max_name = Scorer::MaxNameWeight();
  std::vector<Bound>& order = scratch.order;
  order.clear();
  order.reserve(pending.size());
  for (size_t pending_idx = 0; pending_idx < pending.size(); ++pending_idx) {
    order.push_back(
        {scorer_.FieldsWeight(query_fields, pending[pending_idx].fields) + max_name, pending_idx});
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const Bound& left, const Bound& right) { return left.bound > right.bound; });
  std::vector<double>& best_totals = scratch.best_totals;  // a min-heap of the best `limit` so far
  best_totals.clear();
  // Scored without explanations (formatting them was most of a candidate's cost beside the
  // name comparison): only the `limit` returned are explained, at the end.
  std::vector<Scored>& scored = scratch.scored;
  scored.clear();
  scored.reserve(pending.size());
  std::vector<names::NameAnalysis>& record_names = scratch.record_names;
  scratch.unpacked.Clear();
  scratch.comparisons.Clear();
  for (const Bound& bounded : order) {
    if (bounded.bound + kSlack < min_score) break;
    if (best_totals.size() >= static_cast<size_t>(limit) &&
        bounded.bound + kSlack < best_totals.front()) {
      break;
    }
    const Pending& entry = pending[bounded.pending_idx];
    const std::span<const names::NameAnalysis* const> record_forms =
        scratch.unpacked.Of(forms_of(entry));
    // Only a total at least the `limit`-th best so far (a tie may still enter) and at least
    // `min_score` counts; a record met through near keys alone is a spelling variant or
    // nothing. A candidate whose names cannot reach what that asks is dropped before its full
    // comparison (the result is the same: it could not have entered).
    const bool full = best_totals.size() >= static_cast<size_t>(limit);
    const double min_total = full ? std::max(min_score, best_totals.front()) : min_score;
    const double min_name = entry.near_only ? options_.near_min_name_score : 0.0;
    Score score;
    if (!scorer_.CompareUnexplainedAtLeast(query_names, query_fields, record_forms, entry.fields,
                                           min_total, min_name, kSlack, score,
                                           &scratch.comparisons)) {
      continue;
    }
    if (entry.near_only && score.name_score < options_.near_min_name_score) continue;
    if (score.total < min_score) continue;
    best_totals.push_back(score.total);
    std::push_heap(best_totals.begin(), best_totals.end(), std::greater<>());
    if (best_totals.size() > static_cast<size_t>(limit)) {
      std::pop_heap(best_totals.begin(), best_totals.end(), std::greater<>());
      best_totals.pop_back();
    }
    scored.push_back({std::move(score), bounded.pending_idx});
  }
  std::sort(scored.begin(), scored.end(), [&pending](const Scored& left, const Scored& right) {
    if (left.score.total != right.score.total) return left.score.total > right.score.total;
    if (left.score.written != right.score.written) {
      return left.score.written > right.score.written;
    }
    if (left.score.name_score != right.score.name_score) {
      return left.score.name_score > right.score.name_score;
    }
    return pending[left.pending_idx].id < pending[right.pending_idx].id;
  });
  if (scored.size() > static_cast<size_t>(limit)) scored.resize(static_cast<size_t>(limit));
  std::vector<Candidate> candidates;
  candidates.reserve(scored.size());
  for (Scored& entry : scored) {
    const Pending& record = pending[entry.pending_idx];
    internal::UnpackForms(forms_of(record), record_names);
    Candidate candidate;
    candidate.id = record.id;
    candidate.score = std::move(entry.score);
    scorer_.Explain(query_names, query_fields, record_names, record.fields, candidate.score);
    if (candidate.score.record_form >= 0) {
      candidate.matched_name = record_names[static_cast<size_t>(candidate.score.record_form)].input;
    }
    candidates.push_back(std::move(candidate));
  }
  return candidates;
}

std::vector<uint32_t> CandidateIndex::ClusterOrder() const {
  struct Entry {
    uint32_t rarest;
    uint32_t second;
    uint32_t slot;
  };
  std::vector<Entry> entries;
  entries.reserve(slot_of_id_.size());
  for (uint32_t slot_idx = 0; slot_idx < slots_.size(); ++slot_idx) {
    if (!slots_[slot_idx].live) continue;
    // (posting size << 32 | key id): the smallest is the rarest key, the lower id on a tie.
    uint64_t rarest = UINT64_MAX;
    uint64_t second = UINT64_MAX;
    for (uint32_t key_id : KeyIdsOf(slots_[slot_idx].forms)) {
      const std::string& key = *key_texts_[key_id];
      if (key.empty() || key.front() == kWrittenMark) continue;
      const uint64_t rank = uint64_t{postings_[key_id].size()} << 32 | key_id;
      if (rank < rarest) {
        second = rarest;
        rarest = rank;
      } else if (rank < second && rank != rarest) {
        second = rank;
      }
    }
    entries.push_back({static_cast<uint32_t>(rarest), static_cast<uint32_t>(second), slot_idx});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& left, const Entry& right) {
    if (left.rarest != right.rarest) return left.rarest < right.rarest;
    if (left.second != right.second) return left.second < right.second;
    return left.slot < right.slot;
  });
  std::vector<uint32_t> order;
  order.reserve(entries.size());
  for (const Entry& entry : entries) order.push_back(entry.slot);
  return order;
}

void CandidateIndex::Cluster() {
  std::unique_lock lock(mutex_);
  const std::vector<uint32_t> order = ClusterOrder();
  std::vector<uint32_t> new_slot(slots_.size(), UINT32_MAX);
  std::vector<Slot> slots(order.size());
  std::vector<PreRank> pre_rank(order.size());
  for (uint32_t slot_idx = 0; slot_idx < order.size(); ++slot_idx) {
    new_slot[order[slot_idx]] = slot_idx;
    slots[slot_idx] = std::move(slots_[order[slot_idx]]);
    pre_rank[slot_idx] = pre_rank_[order[slot_idx]];
  }
  slots_ = std::move(slots);
  pre_rank_ = std::move(pre_rank);
  free_slots_.clear();  // removed records' slots are left out
  for (auto& [id, slot_idx] : slot_of_id_) slot_idx = new_slot[slot_idx];
  for (std::vector<uint32_t>& posting : postings_) {
    for (uint32_t& slot_idx : posting) slot_idx = new_slot[slot_idx];
    std::sort(posting.begin(), posting.end());
  }
}

IndexStats CandidateIndex::stats() const {
  std::shared_lock lock(mutex_);
  IndexStats stats;
  stats.records = slot_of_id_.size();
  stats.name_forms = name_forms_;
  stats.keys = key_ids_.size();
  size_t bytes = slots_.capacity() * sizeof(Slot) + free_slots_.capacity() * sizeof(uint32_t);
  for (const Slot& slot : slots_) bytes += HeapBytes(slot.forms) + HeapBytes(slot.hometown);
  // A node-based hash map: a bucket pointer per bucket and a node (value, next, hash) per entry.
  bytes += slot_of_id_.bucket_count() * sizeof(void*) +
           slot_of_id_.size() * (sizeof(std::pair<const int64_t, uint32_t>) + 2 * sizeof(void*));
  bytes += key_ids_.bucket_count() * sizeof(void*) +
           key_ids_.size() * (sizeof(std::pair<const std::string, uint32_t>) + 2 * sizeof(void*));
  for (const auto& [key, key_id] : key_ids_) bytes += HeapBytes(key);
  bytes += deletions_.capacity() * sizeof(Deletion);
  bytes += pre_rank_.capacity() * sizeof(PreRank) + key_table_.capacity() * sizeof(KeyPlace);
  bytes += (postings_.capacity() + origins_.capacity()) * sizeof(std::vector<uint32_t>);
  for (const std::vector<uint32_t>& origins : origins_) {
    bytes += origins.capacity() * sizeof(uint32_t);
  }
  for (const std::vector<uint32_t>& posting : postings_) {
    stats.postings += posting.size();
    bytes += posting.capacity() * sizeof(uint32_t);
  }
  stats.bytes = bytes;
  return stats;
}

}  // namespace izde::match
