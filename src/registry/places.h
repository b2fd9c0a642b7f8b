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
  // The divisions compiled into the program from data/places/ (the region, 15 prefecture-,
  // 108 county- and 1405 township-level units). Built on first use; never destroyed.
  static const Gazetteer& Xinjiang();

  // nullptr when the code is unknown.
  virtual const Division* Find(std::string_view code) const = 0;
  // The division a typed place name denotes: "Ghulja", "ghulja city", "Yining", "伊宁",
  // "Кульджа", "غۇلجا" all give 654002; "Yining County" and "伊宁县" give 654021; a code
  // typed as digits ("654002") gives that division.
  // Case, width, spaces, punctuation and Latin diacritics do not matter ("Ürümchi" =
  // "urumchi"). A word for the kind of place ("city", "县", "ауданы", "ناھىيىسى") is dropped
  // only when the whole text names nothing.
  // When several divisions answer, a prefecture or county wins over a township, then a full
  // name or hand-added alias over a generated short form (伊宁 of 伊宁县).
  // nullptr when nothing matches or the text stays ambiguous between divisions (two
  // townships called 荒地): then the place stays free text.
  virtual const Division* Resolve(std::string_view text) const = 0;
  // The prefecture-level division containing `code` (itself if it is one). For a code not
  // listed, the prefecture named by its first four digits if that one is listed ("654099"
  // -> 6540). nullptr otherwise, and for the region.
  virtual const Division* PrefectureOf(std::string_view code) const = 0;
  // Number of divisions, the region included.
  virtual size_t size() const = 0;
  virtual ~Gazetteer() = default;
};

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_PLACES_H_
