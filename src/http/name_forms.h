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

// Remembers the forms NameInQueryScript generates (a transliteration or a Chinese variant:
// tens of microseconds of ICU each, the largest cost of a search page outside the index) for
// the names they come from. What is kept depends only on the names' texts and the script
// wanted, never on the person's id or the caller, so a person edited since is a new key.
// Bounded: at most about twice `capacity` entries (two generations; the older one is dropped
// when the newer one is full, an entry read from it moves to the newer).
// Thread safety: any number of threads may use it at once.
class GeneratedFormCache {
 public:
  explicit GeneratedFormCache(size_t capacity = 16384) : capacity_(capacity) {}

  // The generated form for `key`, from the cache, else from `make()` (run without the lock).
  template <typename Make>
  std::optional<std::string> Get(const std::string& key, Make make) {
    {
      std::lock_guard lock(mu_);
      if (std::optional<std::string>* found = FindLocked(key)) {
        ++hits_;
        return *found;
      }
    }
    std::optional<std::string> made = make();
    std::lock_guard lock(mu_);
    PutLocked(key, made);
    return made;
  }
  uint64_t hits() const {
    std::lock_guard lock(mu_);
    return hits_;
  }

 private:
  std::optional<std::string>* FindLocked(const std::string& key);
  void PutLocked(const std::string& key, const std::optional<std::string>& form);

  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::optional<std::string>> current_;   // GUARDED_BY(mu_)
  std::unordered_map<std::string, std::optional<std::string>> previous_;  // GUARDED_BY(mu_)
  uint64_t hits_ = 0;                                                     // GUARDED_BY(mu_)
};

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

// The likely Chinese-character spellings of the person's first non-Han name, best first, at
// most `max_variants`, or none when the person already has a Han name or no name gives any:
// [{"text": "努尔兰", "score": 0.8, "from": "Nurlan"}]. Never stored: the person page shows them
// as "generated, not from a source".
nlohmann::json GeneratedChineseNames(const registry::Person& person, size_t max_variants = 3);

}  // namespace izde::http

#endif  // IZDE_HTTP_NAME_FORMS_H_
