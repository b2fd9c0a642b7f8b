#include "cli/context.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/open.h"

namespace izde::cli {

Result<registry::Registry*> Context::OpenRegistry(bool create) {
  if (registry_ == nullptr) {
    IZDE_ASSIGN_OR_RETURN(store_, store::OpenStore(db_path, {.create = create}));
    registry_ = std::make_unique<registry::Registry>(*store_, registry::Gazetteer::Xinjiang());
  }
  return registry_.get();
}

registry::Actor Context::actor() const {
  const char* user = std::getenv("USER");
  if (user == nullptr || *user == '\0') {
    const passwd* entry = getpwuid(geteuid());
    user = entry != nullptr ? entry->pw_name : nullptr;
  }
  return {fmt::format("cli:{}", user != nullptr ? user : "unknown")};
}

void Context::PrintJson(const nlohmann::json& document) {
  out_ << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

std::function<void(int64_t, int64_t)> Context::ProgressBar(std::string label) {
  if (!isatty(STDERR_FILENO)) return {};
  return [this, label = std::move(label)](int64_t done, int64_t total) {
    if (total <= 0) {
      err_ << fmt::format("\r{}: {}", label, done) << std::flush;
      return;
    }
    int percent = static_cast<int>(done * 100 / total);
    int filled = percent / 4;
    err_ << fmt::format("\r{}: [{:<25}] {:3}% ({}/{})", label, std::string(static_cast<size_t>(filled), '#'),
                        percent, done, total);
    if (done >= total) err_ << "\n";
    err_ << std::flush;
  };
}

Result<PartialDate> ParseDateField(std::string_view text, const char* field) {
  Result<PartialDate> date = PartialDate::Parse(text);
  if (!date.ok()) return InvalidArgumentError(date.status().message(), field);
  return date;
}

Result<int64_t> ResolvePersonId(registry::Store& store, std::string_view text) {
  Result<int64_t> id = ParseId(IdKind::kPerson, text);
  if (id.ok()) return id;
  Result<int64_t> by_external = store.FindPersonByExternalId(text);
  if (by_external.ok()) return by_external;
  return NotFoundError(fmt::format("no person with id or external id '{}'", text));
}

}  // namespace izde::cli
