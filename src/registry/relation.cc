#include "registry/relation.h"

#include <array>

#include "registry/internal/enum_names.h"

namespace izde::registry {
namespace {

constexpr std::array<std::pair<std::string_view, RelationKind>, 10> kKinds = {{
    {"parent", RelationKind::kParent}, {"father", RelationKind::kParent},
    {"mother", RelationKind::kParent}, {"child", RelationKind::kChild},
    {"son", RelationKind::kChild}, {"daughter", RelationKind::kChild},
    {"sibling", RelationKind::kSibling}, {"spouse", RelationKind::kSpouse},
    {"relative", RelationKind::kRelative}, {"other", RelationKind::kOther},
}};

}  // namespace

std::string_view RelationKindName(RelationKind kind) {
  switch (kind) {
    case RelationKind::kParent: return "parent";
    case RelationKind::kChild: return "child";
    case RelationKind::kSibling: return "sibling";
    case RelationKind::kSpouse: return "spouse";
    case RelationKind::kRelative: return "relative";
    case RelationKind::kOther: return "other";
  }
  return "other";
}

Result<RelationKind> ParseRelationKind(std::string_view text) {
  return internal::ParseEnum<RelationKind>(text, kKinds, "kind",
                                           "parent, child, sibling, spouse, relative, other");
}

RelationKind Inverse(RelationKind kind) {
  switch (kind) {
    case RelationKind::kParent: return RelationKind::kChild;
    case RelationKind::kChild: return RelationKind::kParent;
    case RelationKind::kSibling:
    case RelationKind::kSpouse:
    case RelationKind::kRelative:
    case RelationKind::kOther: return kind;
  }
  return kind;
}

}  // namespace izde::registry
