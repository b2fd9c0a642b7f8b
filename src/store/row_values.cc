#include "store/row_values.h"

#include <fmt/chrono.h>

#include <chrono>

namespace izde::store::internal {

std::string NowIso() {
  auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", now);
}

Result<registry::Verdict> StoredVerdict(std::string_view text, std::string_view table, int64_t id) {
  Result<registry::Verdict> verdict = registry::ParseVerdict(text);
  if (verdict.ok()) return verdict;
  return DataLossError(
      fmt::format("{} row {}: stored verdict '{}' does not parse", table, id, text));
}

}  // namespace izde::store::internal
