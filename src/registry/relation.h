#ifndef IZDE_REGISTRY_RELATION_H_
#define IZDE_REGISTRY_RELATION_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace izde::registry {

// How person `from` is related to person `to`: kParent means "from is a parent of to".
enum class RelationKind : uint8_t { kParent, kChild, kSibling, kSpouse, kRelative, kOther };

struct Relation {
  int64_t id = 0;
  int64_t from_person = 0;
  int64_t to_person = 0;
  RelationKind kind = RelationKind::kOther;
  std::string note;
  friend bool operator==(const Relation&, const Relation&) = default;
};

std::string_view RelationKindName(RelationKind kind);
Result<RelationKind> ParseRelationKind(std::string_view text);
// kParent <-> kChild; the others are symmetric.
RelationKind Inverse(RelationKind kind);

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_RELATION_H_
