#include "cli/context.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/index_snapshot.h"
#include "store/open.h"

namespace izde::cli {

Result<registry::Registry*> Context::OpenRegistry(bool create) {
  if (registry_ == nullptr) {
    IZDE_ASSIGN_OR_RETURN(store_, store::OpenStore(db_path, {.create = create}));
    registry_ = std::make_unique<registry::Registry>(*store_, registry::Gazetteer::Xinjiang());
  }
  return registry_.get();
}

std::string Context::IndexSnapshotPath() const {
  if (no_index_cache || store_ == nullptr) return "";
  return index_cache.empty() ? io::DefaultIndexSnapshotPath(*store_) : index_cache;
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

Result<io::IndexLoadReport> LoadRegistryIndex(Context& context, const registry::Gazetteer& places,
                                              match::CandidateIndex& index, int threads,
                                              bool note) {
  io::IndexSnapshotOptions options;
  options.path = context.IndexSnapshotPath();
  options.threads = threads;
  options.progress = context.ProgressBar("indexing persons");
  IZDE_ASSIGN_OR_RETURN(io::IndexLoadReport report,
                        io::LoadIndex(context.store(), places, index, options));
  if (note) {
    if (report.from_snapshot) {
      context.err() << fmt::format("index: {} persons read from {} in {:.1f} s ({} re-read)\n",
                                   report.indexed, options.path, report.load_s, report.refreshed);
    } else {
      context.err() << fmt::format(
          "index: {} persons analysed in {:.1f} s{}\n", report.indexed, report.build_s,
          report.rebuilt_because.empty() ? ""
                                         : " (snapshot not used: " + report.rebuilt_because + ")");
    }
    if (report.written) {
      context.err() << fmt::format("index: snapshot written to {} in {:.1f} s\n", options.path,
                                   report.write_s);
    }
  }
  if (!report.write_error.empty()) {
    context.err() << "warning: the index snapshot was not written: " << report.write_error << "\n";
  }
  return report;
}

}  // namespace izde::cli
