// Evidence: upload (multipart/form-data), metadata, download, and the evidence of a person,
// through registry/evidence_use_cases.h: the type is read from the content, the file
// encrypted into the vault, and the redaction policy decides who sees what.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <streambuf>

#include "auth/redaction.h"
#include "http/decode.h"
#include "http/evidence_form.h"
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

// An input stream over bytes held elsewhere.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view bytes) {
    // std::streambuf wants char*; nothing is written through it.
    char* begin = const_cast<char*>(bytes.data());
    setg(begin, begin, begin + bytes.size());
  }
};

Result<json> UploadEvidence(RouteContext& context, Call& call) {
  if (!call.req.is_multipart_form_data()) {
    return InvalidArgumentError("send the file as multipart/form-data", "file");
  }
  IZDE_ASSIGN_OR_RETURN(registry::EvidenceVault * vault, VaultOf(context));
  std::vector<FormPart> parts;
  parts.reserve(call.req.files.size());
  for (const auto& [name, part] : call.req.files) {
    parts.push_back(FormPart{name, part.filename, part.content});
  }
  IZDE_ASSIGN_OR_RETURN(EvidenceForm form, DecodeEvidenceForm(parts));
  // The file is read from the request's buffer, not copied again (up to 100 MiB).
  ViewBuffer buffer(form.file);
  std::istream content(&buffer);
  IZDE_ASSIGN_OR_RETURN(
      registry::Evidence added,
      registry::AddEvidence(context.registry, *vault, std::move(form.draft), content,
                            {call.actor()}));
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
