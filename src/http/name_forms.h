#ifndef IZDE_HTTP_NAME_FORMS_H_
#define IZDE_HTTP_NAME_FORMS_H_

// The name forms the API adds to what is stored: the form of a search result in the searcher's
// script, and the generated Chinese-character spellings a person page marks as such
// (docs/server.md). Private to http/.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "names/script.h"
#include "registry/person.h"

namespace izde::http {

// Remembers what is generated from a person's names (a transliteration, a Chinese variant:
// tens of microseconds of ICU each, the largest cost of a search page outside the index and
// of a person page outside the database) for the names it comes from. What is kept depends
// only on the names' texts and what was asked of them (the script wanted, the number of
// variants), never on the person's id or the caller, so a person edited since is a new key.
// Bounded: at most about twice `capacity` entries (two generations; the older one is dropped
// when the newer one is full, an entry read from it moves to the newer).
// Thread safety: any number of threads may use it at once.
template <typename Value>
class GenerationCache {
 public:
  explicit GenerationCache(size_t capacity = 16384) : capacity_(capacity) {}

  // The value for `key`, from the cache, else from `make()` (run without the lock).
  template <typename Make>
  Value Get(const std::string& key, Make make) {
    {
      std::lock_guard lock(mu_);
      if (Value* found = FindLocked(key)) {
        ++hits_;
        return *found;
      }
    }
    Value made = make();
    std::lock_guard lock(mu_);
    PutLocked(key, made);
    return made;
  }
  uint64_t hits() const {
    std::lock_guard lock(mu_);
    return hits_;
  }

 private:
  Value* FindLocked(const std::string& key) {
    auto found = current_.find(key);
    if (found != current_.end()) return &found->second;
    auto old = previous_.find(key);
    if (old == previous_.end()) return nullptr;
    Value value = std::move(old->second);
    previous_.erase(old);
    PutLocked(key, value);
    return &current_.find(key)->second;
  }
  void PutLocked(const std::string& key, const Value& value) {
    if (current_.size() >= capacity_) {
      previous_ = std::move(current_);
      current_.clear();
    }
    current_.insert_or_assign(key, value);
  }

  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Value> current_;   // GUARDED_BY(mu_)
  std::unordered_map<std::string, Value> previous_;  // GUARDED_BY(mu_)
  uint64_t hits_ = 0;                                // GUARDED_BY(mu_)
};

// The forms NameInQueryScript generates (none: std::nullopt).
using GeneratedFormCache = GenerationCache<std::optional<std::string>>;
// The arrays GeneratedChineseNames gives.
using GeneratedNamesCache = GenerationCache<nlohmann::json>;

// The name of `person` that best fits the script of `query`:
//   the matched form when it is written in that script, else the person's first stored name
//   in that script, else one generated for it (Han: the best Chinese variant, Latin: the
//   primary name's first Latin reading, Arabic: the Uyghur Arabic spelling of that reading),
//   else the primary name.
// {"text": "吐尔逊·买买提", "script": "han", "generated": true}. A query of mixed or unknown
// script gives the matched form (or the primary name). With a `cache`, a generated form comes
// from it when the same names were asked for in the same script before (the same answer).
nlohmann::json NameInQueryScript(const registry::Person& person, std::string_view query,
                                 const std::string& matched_name,
                                 GeneratedFormCache* cache = nullptr);

// The same form as a value, for the search page's text (search_json.h).
struct NameForm {
  std::string text;
  names::Script script = names::Script::kUnknown;
  bool generated = false;
};
NameForm NameFormInQueryScript(const registry::Person& person, std::string_view query,
                               const std::string& matched_name,
                               GeneratedFormCache* cache = nullptr);

// The script NameFormInQueryScript reads `query` in (kUnknown where it cannot be told), and the
// same form for a query of that script: a page of results reads its query's script once.
names::Script QueryScript(std::string_view query);
NameForm NameFormInScript(const registry::Person& person, names::Script wanted,
                          const std::string& matched_name, GeneratedFormCache* cache = nullptr);

// The likely Chinese-character spellings of the person's first non-Han name, best first, at
// most `max_variants`, or none when the person already has a Han name or no name gives any:
// [{"text": "努尔兰", "score": 0.8, "from": "Nurlan"}]. Never stored: the person page shows them
// as "generated, not from a source". With a `cache`, the array comes from it when the same
// names were asked for with the same `max_variants` before (the same answer).
nlohmann::json GeneratedChineseNames(const registry::Person& person, size_t max_variants = 3,
                                     GeneratedNamesCache* cache = nullptr);

}  // namespace izde::http

#endif  // IZDE_HTTP_NAME_FORMS_H_
