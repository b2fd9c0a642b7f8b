#ifndef IZDE_REGISTRY_PLACES_H_
#define IZDE_REGISTRY_PLACES_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace izde::registry {

enum class DivisionLevel : uint8_t { kRegion = 0, kPrefecture = 1, kCounty = 2, kTownship = 3 };

// An administrative division of Xinjiang with the names people use for it.
struct Division {
  std::string code;            // "65", "6540", "654002", "654002001"
  DivisionLevel level = DivisionLevel::kRegion;
  std::string name_zh;         // official Chinese name: "伊宁市"
  std::string name_latin;      // common Latin form: "Yining" / "Ghulja"
  std::string parent_code;     // "" for the region
  std::vector<std::string> aliases;  // other names: "Ghulja", "Кульджа", "غۇلجا", "Yining"
};

// Xinjiang's divisions (prefectures, counties, townships) with their names in several
// scripts. Immutable after construction; safe to share between threads.
class Gazetteer {
 public:
  // The divisions compiled into the program from data/places/. Built once.
  static const Gazetteer& Xinjiang();

  // nullptr when the code is unknown.
  virtual const Division* Find(std::string_view code) const = 0;
  // The division a typed place name denotes: "Ghulja", "Yining", "伊宁", "Кульджа" all give
  // 654002. nullptr when nothing matches or the text is ambiguous between divisions
  // (then the place stays free text).
  virtual const Division* Resolve(std::string_view text) const = 0;
  // The prefecture-level division containing `code` (itself if it is one); nullptr if none.
  virtual const Division* PrefectureOf(std::string_view code) const = 0;
  virtual size_t size() const = 0;
  virtual ~Gazetteer() = default;
};

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_PLACES_H_
