#ifndef IZDE_REGISTRY_INTERNAL_GAZETTEER_TSV_H_
#define IZDE_REGISTRY_INTERNAL_GAZETTEER_TSV_H_

#include <memory>
#include <string_view>

#include "core/result.h"
#include "registry/places.h"

namespace izde::registry::internal {

// The divisions data/places/ is compiled into (see data/places/SOURCE.txt).
extern const std::string_view kDivisionsTsv;
extern const std::string_view kAliasesTsv;

// Builds a Gazetteer from the two tables of data/places/, in their format:
//   divisions: code <TAB> level <TAB> parent <TAB> name_zh <TAB> name_latin
//              (level: region | prefecture | county | township)
//   aliases:   code <TAB> alias [<TAB> origin]
//              (origin "stem" marks a generated short form that other divisions may share:
//              it loses to any full name or hand-added alias in Resolve())
// Lines starting with '#' and empty lines are skipped. kInvalidArgument naming the table
// and line for a malformed row, an unknown level, a duplicate code, a parent that is not
// listed before its child, or an alias of an unknown code.
Result<std::unique_ptr<Gazetteer>> ParseGazetteer(std::string_view divisions_tsv,
                                                  std::string_view aliases_tsv);

}  // namespace izde::registry::internal

#endif  // IZDE_REGISTRY_INTERNAL_GAZETTEER_TSV_H_
