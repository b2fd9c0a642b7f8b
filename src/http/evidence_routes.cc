// Evidence: upload (multipart/form-data), metadata, download, and the evidence of a person,
// through registry/evidence_use_cases.h: the type is read from the content, the file
// encrypted into the vault, and the redaction policy decides who sees what.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "auth/redaction.h"
#include "http/decode.h"
#include "http/routes.h"
#include "http/views.h"
#include "registry/evidence_use_cases.h"

namespace izde::http {
namespace {

using nlohmann::json;

Result<registry::EvidenceVault*> VaultOf(const RouteContext& context) {
  if (context.options.vault == nullptr) {
    return FailedPreconditionError(
        "this server has no evidence vault (the database's key file was not found at start)");
  }
  return context.options.vault;
}

Result<int64_t> EvidenceParam(const Call& call) {
  Result<int64_t> id = ParseId(IdKind::kEvidence, call.Param(1));
  if (!id.ok()) return InvalidArgumentError(id.status().message(), "id");
  return id;
}

// The evidence as the role may see it; kNotFound when withheld, as for a missing record.
Result<json> EvidenceView(const registry::Evidence& evidence, auth::Redactor& redactor) {
  IZDE_ASSIGN_OR_RETURN(std::optional<json> view, redactor.View(evidence));
  if (!view) return NotFoundError(fmt::format("no evidence {}", evidence.public_id()));
  return std::move(*view);
}

Result<json> UploadEvidence(RouteContext& context, Call& call) {
  if (!call.req.is_multipart_form_data()) {
    return InvalidArgumentError("send the file as multipart/form-data", "file");
  }
  IZDE_ASSIGN_OR_RETURN(registry::EvidenceVault * vault, VaultOf(context));
  // The fields of `izde evidence add`; "description" and "consent" are the names the web
  // form uses for note and privacy.
  static const std::vector<std::string> kFields = {"file", "person",  "testimony",   "note",
                                                   "kind", "privacy", "description", "consent"};
  const httplib::MultipartFormData* file = nullptr;
  std::map<std::string, std::string> fields;
  for (const auto& [name, part] : call.req.files) {
    if (std::find(kFields.begin(), kFields.end(), name) == kFields.end()) {
      return InvalidArgumentError("unknown field", name);
    }
    if (name == "file") {
      if (file != nullptr) return InvalidArgumentError("send one file", "file");
      file = &part;
      continue;
    }
    std::string key = name == "description" ? "note" : name == "consent" ? "privacy" : name;
    if (fields.count(key) > 0) return InvalidArgumentError("given twice", name);
    if (!IsValidUtf8(part.content)) return InvalidArgumentError("not valid UTF-8", name);
    fields[key] = part.content;
  }
  if (file == nullptr) return InvalidArgumentError("required: the file", "file");
  registry::EvidenceDraft draft;
  if (!fields["person"].empty()) {
    Result<int64_t> id = ParseId(IdKind::kPerson, fields["person"]);
    if (!id.ok()) return InvalidArgumentError(id.status().message(), "person");
    draft.person_id = *id;
  }
  if (!fields["testimony"].empty()) {
    Result<int64_t> id = ParseId(IdKind::kTestimony, fields["testimony"]);
    if (!id.ok()) return InvalidArgumentError(id.status().message(), "testimony");
    draft.testimony_id = *id;
  }
  if (!fields["kind"].empty()) {
    Result<registry::EvidenceKind> kind = registry::ParseEvidenceKind(fields["kind"]);
    if (!kind.ok()) return InvalidArgumentError(kind.status().message(), "kind");
    draft.kind = *kind;
  }
  if (!fields["privacy"].empty()) {
    Result<registry::Privacy> privacy = registry::ParsePrivacy(fields["privacy"]);
    if (!privacy.ok()) return InvalidArgumentError(privacy.status().message(), "privacy");
    draft.privacy = *privacy;
  }
  draft.note = fields["note"];
  // Only the last part of the name the browser sends.
  std::string original = IsValidUtf8(file->filename) ? file->filename : "";
  draft.original_name = std::filesystem::path(original).filename().string();
  std::istringstream content(file->content);
  IZDE_ASSIGN_OR_RETURN(
      registry::Evidence added,
      registry::AddEvidence(context.registry, *vault, draft, content, {call.actor()}));
  auth::Redactor redactor(call.role, context.registry.store());
  IZDE_ASSIGN_OR_RETURN(json view, EvidenceView(added, redactor));
  call.status = 201;
  return json{{"evidence", view}};
}

Result<json> GetEvidence(RouteContext& context, Call& call) {
  IZDE_ASSIGN_OR_RETURN(int64_t id, EvidenceParam(call));
  IZDE_ASSIGN_OR_RETURN(registry::Evidence evidence, context.registry.store().GetEvidence(id));
  auth::Redactor redactor(call.role, context.registry.store());
  IZDE_ASSIGN_OR_RETURN(json view, EvidenceView(evidence, redactor));
  return json{{"evidence", view}};
}

Result<json> DownloadEvidence(RouteContext& context, Call& call) {
  // Decided before anything is looked up, so that the answer says nothing about the file.
  if (!auth::MayDownloadEvidence(call.role)) {
    return PermissionDeniedError(
        fmt::format("the role {} may not download evidence files", auth::RoleName(call.role)));
  }
  IZDE_ASSIGN_OR_RETURN(int64_t id, EvidenceParam(call));
  IZDE_ASSIGN_OR_RETURN(registry::Evidence evidence, context.registry.store().GetEvidence(id));
  auth::Redactor redactor(call.role, context.registry.store());
  IZDE_RETURN_IF_ERROR(EvidenceView(evidence, redactor).status());
  IZDE_ASSIGN_OR_RETURN(registry::EvidenceVault * vault, VaultOf(context));
  std::ostringstream out;
  // A tampered file fails here (kDataLoss) before a byte of it is sent.
  IZDE_RETURN_IF_ERROR(registry::ReadEvidence(context.registry, *vault, id, out));
  call.raw = true;
  call.res.set_content(out.str(), evidence.media_type);
  call.res.set_header("Content-Disposition",
                      fmt::format("attachment; filename=\"{}\"", evidence.public_id()));
  return json(nullptr);
}

Result<json> PersonEvidence(RouteContext& context, Call& call) {
  Result<int64_t> id = ParseId(IdKind::kPerson, call.Param(1));
  if (!id.ok()) return InvalidArgumentError(id.status().message(), "id");
  auth::Redactor redactor(call.role, context.registry.store());
  IZDE_ASSIGN_OR_RETURN(registry::Person person, context.registry.store().GetPerson(*id));
  if (!PersonVisible(person, call.role, context.registry.store())) {
    return NotFoundError(fmt::format("no person {}", person.public_id()));
  }
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::Evidence> all,
                        registry::EvidenceOfPerson(context.registry, *id));
  json items = json::array();
  for (const registry::Evidence& evidence : all) {
    IZDE_ASSIGN_OR_RETURN(std::optional<json> view, redactor.View(evidence));
    if (view) items.push_back(std::move(*view));
  }
  return json{{"person", person.public_id()}, {"evidence", items}};
}

}  // namespace

void AddEvidenceRoutes(const AddRouteFn& add, RouteContext context) {
  using auth::Action;
  auto bind = [context](Result<json> (*handler)(RouteContext&, Call&)) {
    return [context, handler](Call& call) mutable { return handler(context, call); };
  };
  add("POST", "/api/evidence", Action::kWriteRecords, false, bind(&UploadEvidence));
  add("GET", "/api/evidence/{id}", Action::kRead, false, bind(&GetEvidence));
  add("GET", "/api/evidence/{id}/file", Action::kRead, false, bind(&DownloadEvidence));
  add("GET", "/api/persons/{id}/evidence", Action::kRead, false, bind(&PersonEvidence));
}

}  // namespace izde::http
