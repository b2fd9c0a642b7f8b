#include "registry/places.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "registry/internal/gazetteer_tsv.h"
#include "registry/internal/place_key.h"

namespace izde::registry {
namespace internal {
namespace {

// How firmly a lookup key names a division. A full name or a hand-added alias is strong;
// a generated short form ("伊宁" from both 伊宁市 and 伊宁县) is weak, so that the hand-added
// "伊宁" of the city decides, and two weak claims stay ambiguous.
enum class Strength : uint8_t { kWeak = 1, kStrong = 2 };

struct Hit {
  size_t division_idx;
  Strength strength;
};

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    const size_t tab = line.find('\t');
    fields.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) return fields;
    line.remove_prefix(tab + 1);
  }
}

bool IsSkipped(std::string_view line) { return line.empty() || line.front() == '#'; }

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<DivisionLevel> ParseLevel(std::string_view text) {
  if (text == "region") return DivisionLevel::kRegion;
  if (text == "prefecture") return DivisionLevel::kPrefecture;
  if (text == "county") return DivisionLevel::kCounty;
  if (text == "township") return DivisionLevel::kTownship;
  return std::nullopt;
}

Status RowError(std::string_view table, size_t line_idx, std::string_view problem) {
  return InvalidArgumentError(std::string(table) + " line " + std::to_string(line_idx + 1) + ": " +
                              std::string(problem));
}

class TsvGazetteer final : public Gazetteer {
 public:
  const Division* Find(std::string_view code) const override {
    const auto it = by_code_.find(code);
    return it == by_code_.end() ? nullptr : &divisions_[it->second];
  }

  const Division* Resolve(std::string_view text) const override {
    const std::string key = PlaceKey(text);
    if (key.empty()) return nullptr;
    if (IsDigits(key)) return Find(key);
    const Match match = Best(key);
    if (match.division != nullptr || match.ambiguous) return match.division;
    // Only when the whole text names nothing: "Yining County" must reach the county
    // through its own name before "county" is cut off and the city's "Yining" wins.
    if (std::optional<std::string> bare = StripPlaceKind(key)) return Best(*bare).division;
    return nullptr;
  }

  const Division* PrefectureOf(std::string_view code) const override {
    const Division* division = Find(code);
    if (division == nullptr) {
      // A code missing from the current list (a county since merged or renamed) still
      // names its prefecture in its first four digits, when that prefecture exists.
      if (code.size() <= 4 || !IsDigits(code)) return nullptr;
      division = Find(code.substr(0, 4));
      if (division == nullptr || division->level != DivisionLevel::kPrefecture) return nullptr;
      return division;
    }
    while (division != nullptr && division->level > DivisionLevel::kPrefecture) {
      division = Find(division->parent_code);
    }
    if (division == nullptr || division->level != DivisionLevel::kPrefecture) return nullptr;
    return division;
  }

  size_t size() const override { return divisions_.size(); }

  Status AddDivision(Division division) {
    if (!IsDigits(division.code)) return InvalidArgumentError("code is not digits");
    if (by_code_.contains(division.code)) return InvalidArgumentError("duplicate code");
    if (division.level != DivisionLevel::kRegion && !by_code_.contains(division.parent_code)) {
      return InvalidArgumentError("parent " + division.parent_code + " not listed before");
    }
    by_code_.emplace(division.code, divisions_.size());
    divisions_.push_back(std::move(division));
    weak_aliases_.emplace_back();
    return OkStatus();
  }

  Status AddAlias(std::string_view code, std::string_view alias, Strength strength) {
    const auto it = by_code_.find(code);
    if (it == by_code_.end()) return InvalidArgumentError("unknown code " + std::string(code));
    divisions_[it->second].aliases.emplace_back(alias);
    if (strength == Strength::kWeak) weak_aliases_[it->second].emplace_back(alias);
    return OkStatus();
  }

  // Builds the name index once all rows are in.
  void Index() {
    for (size_t idx = 0; idx < divisions_.size(); ++idx) {
      const Division& division = divisions_[idx];
      const std::vector<std::string>& weak = weak_aliases_[idx];
      AddName(idx, division.name_zh, Strength::kStrong);
      AddName(idx, division.name_latin, Strength::kStrong);
      for (const std::string& alias : division.aliases) {
        const bool is_weak = std::find(weak.begin(), weak.end(), alias) != weak.end();
        AddName(idx, alias, is_weak ? Strength::kWeak : Strength::kStrong);
      }
    }
    weak_aliases_.clear();
  }

 private:
  struct Match {
    const Division* division = nullptr;
    bool ambiguous = false;
  };

  // The one division `key` names best: prefectures and counties before townships (a
  // hometown is more often a county than a township of the same name), then the stronger
  // name. A tie is ambiguous.
  Match Best(std::string_view key) const {
    const auto it = by_key_.find(key);
    if (it == by_key_.end()) return {};
    int best_rank = -1;
    Match match;
    for (const Hit& hit : it->second) {
      const Division& division = divisions_[hit.division_idx];
      const int rank =
          (division.level == DivisionLevel::kTownship ? 0 : 10) + static_cast<int>(hit.strength);
      if (rank > best_rank) {
        best_rank = rank;
        match = {&division, false};
      } else if (rank == best_rank) {
        match = {nullptr, true};
      }
    }
    return match;
  }

  void AddName(size_t idx, std::string_view name, Strength strength) {
    const std::string key = PlaceKey(name);
    if (key.empty()) return;
    AddKey(idx, key, strength);
    // "Kashgar Prefecture" also answers to "Kashgar", but only weakly: the city's own
    // "Kashgar" is the better claim.
    if (std::optional<std::string> bare = StripPlaceKind(key)) {
      AddKey(idx, *bare, Strength::kWeak);
    }
  }

  void AddKey(size_t idx, const std::string& key, Strength strength) {
    std::vector<Hit>& hits = by_key_[key];
    for (Hit& hit : hits) {
      if (hit.division_idx == idx) {
        hit.strength = std::max(hit.strength, strength);
        return;
      }
    }
    hits.push_back({idx, strength});
  }

  std::vector<Division> divisions_;
  std::map<std::string, size_t, std::less<>> by_code_;
  std::map<std::string, std::vector<Hit>, std::less<>> by_key_;
  std::vector<std::vector<std::string>> weak_aliases_;  // parallel to divisions_ until Index()
};

}  // namespace

Result<std::unique_ptr<Gazetteer>> ParseGazetteer(std::string_view divisions_tsv,
                                                  std::string_view aliases_tsv) {
  auto gazetteer = std::make_unique<TsvGazetteer>();
  const std::vector<std::string_view> division_lines = SplitLines(divisions_tsv);
  for (size_t line_idx = 0; line_idx < division_lines.size(); ++line_idx) {
    if (IsSkipped(division_lines[line_idx])) continue;
    const std::vector<std::string_view> fields = SplitFields(division_lines[line_idx]);
    if (fields.size() != 5) return RowError("divisions", line_idx, "expected 5 fields");
    const std::optional<DivisionLevel> level = ParseLevel(fields[1]);
    if (!level) return RowError("divisions", line_idx, "unknown level");
    Division division;
    division.code = fields[0];
    division.level = *level;
    division.parent_code = fields[2];
    division.name_zh = fields[3];
    division.name_latin = fields[4];
    const Status added = gazetteer->AddDivision(std::move(division));
    if (!added.ok()) return RowError("divisions", line_idx, added.message());
  }
  const std::vector<std::string_view> alias_lines = SplitLines(aliases_tsv);
  for (size_t line_idx = 0; line_idx < alias_lines.size(); ++line_idx) {
    if (IsSkipped(alias_lines[line_idx])) continue;
    const std::vector<std::string_view> fields = SplitFields(alias_lines[line_idx]);
    if (fields.size() < 2 || fields.size() > 3) {
      return RowError("aliases", line_idx, "expected 2 or 3 fields");
    }
    const Strength strength =
        fields.size() == 3 && fields[2] == "stem" ? Strength::kWeak : Strength::kStrong;
    const Status added = gazetteer->AddAlias(fields[0], fields[1], strength);
    if (!added.ok()) return RowError("aliases", line_idx, added.message());
  }
  gazetteer->Index();
  return std::unique_ptr<Gazetteer>(std::move(gazetteer));
}

}  // namespace internal

const Gazetteer& Gazetteer::Xinjiang() {
  // Built on first use, then shared read-only by all threads. Never destroyed, so that
  // code running at exit may still use it.
  static const Gazetteer* const xinjiang = [] {
    Result<std::unique_ptr<Gazetteer>> parsed =
        internal::ParseGazetteer(internal::kDivisionsTsv, internal::kAliasesTsv);
    // The tables are compiled in and tested; a parse error is a bug in data/places/.
    assert(parsed.ok() && "data/places/ tables do not parse");
    if (!parsed.ok()) parsed = internal::ParseGazetteer("", "");
    return std::move(parsed).value().release();
  }();
  return *xinjiang;
}

}  // namespace izde::registry
