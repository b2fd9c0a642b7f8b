// Placeholder until PRC ID validation lands (branch wip-places).
#include "registry/prc_id.h"

namespace izde::registry {
Result<PrcId> ParsePrcId(std::string_view text) {
  return PrcId{.number = std::string(text), .region_code = {}, .birth_date = {},
               .gender = Gender::kUnknown};
}
std::vector<std::string> PrcIdWarnings(const Person&, const PrcId&, const Gazetteer&) {
  return {};
}
}  // namespace izde::registry
