#include "http/evidence_form.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <string>

#include "core/ids.h"
#include "http/decode.h"

namespace izde::http {

Result<EvidenceForm> DecodeEvidenceForm(const std::vector<FormPart>& parts) {
  // The fields of `izde evidence add`; "description" and "consent" are the names the web
  // form uses for note and privacy.
  static constexpr std::array<std::string_view, 8> kFields = {
      "file", "person", "testimony", "note", "kind", "privacy", "description", "consent"};
  const FormPart* file = nullptr;
  std::map<std::string, std::string> fields;
  for (const FormPart& part : parts) {
    const std::string name(part.name);
    if (std::find(kFields.begin(), kFields.end(), part.name) == kFields.end()) {
      return InvalidArgumentError("unknown field", IsValidUtf8(name) ? name : "form");
    }
    if (name == "file") {
      if (file != nullptr) return InvalidArgumentError("send one file", "file");
      file = &part;
      continue;
    }
    std::string key = name == "description" ? "note" : name == "consent" ? "privacy" : name;
    if (fields.count(key) > 0) return InvalidArgumentError("given twice", name);
    if (!IsValidUtf8(part.content)) return InvalidArgumentError("not valid UTF-8", name);
    fields[key] = std::string(part.content);
  }
  if (file == nullptr) return InvalidArgumentError("required: the file", "file");
  EvidenceForm form;
  registry::EvidenceDraft& draft = form.draft;
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
  const std::string original = IsValidUtf8(file->filename) ? std::string(file->filename) : "";
  draft.original_name = std::filesystem::path(original).filename().string();
  form.file = file->content;
  return form;
}

}  // namespace izde::http
