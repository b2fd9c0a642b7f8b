#ifndef IZDE_HTTP_EVIDENCE_FORM_H_
#define IZDE_HTTP_EVIDENCE_FORM_H_

#include <string_view>
#include <vector>

#include "core/result.h"
#include "registry/evidence_use_cases.h"

namespace izde::http {

// One part of a multipart/form-data body as the HTTP library parsed it. Views into the
// request, which must outlive the decoded form.
struct FormPart {
  std::string_view name;
  std::string_view filename;
  std::string_view content;
};

// The evidence upload form (POST /api/evidence) decoded: the draft for
// registry::AddEvidence, and the file part.
struct EvidenceForm {
  registry::EvidenceDraft draft;
  std::string_view file;  // the file's bytes
};

// Decodes the parts of an evidence upload: `file` once, `person` and/or `testimony` (public
// or bare ids), `note` (or `description`), `kind`, `privacy` (or `consent`). kInvalidArgument
// naming the part for an unknown or repeated part, a missing file, text that is not UTF-8 or
// a value that does not parse. Whether the person or testimony exists is AddEvidence's to say.
// The file name keeps only its last path component, and is dropped when it is not UTF-8.
Result<EvidenceForm> DecodeEvidenceForm(const std::vector<FormPart>& parts);

}  // namespace izde::http

#endif  // IZDE_HTTP_EVIDENCE_FORM_H_
