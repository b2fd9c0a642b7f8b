#ifndef IZDE_REGISTRY_EVIDENCE_H_
#define IZDE_REGISTRY_EVIDENCE_H_

// Evidence: a file (photo, document scan, video, audio) attached to a person or a
// testimony. The record lives in the Store; the file itself, encrypted, in an
// EvidenceVault (store/vault.h implements it). docs/evidence.md describes both.

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/result.h"
#include "registry/person.h"

namespace izde::registry {

enum class EvidenceKind : uint8_t { kPhoto, kDocument, kVideo, kAudio };

std::string_view EvidenceKindName(EvidenceKind kind);  // "photo", "document", "video", "audio"
Result<EvidenceKind> ParseEvidenceKind(std::string_view text);

struct Evidence {
  int64_t id = 0;            // the public id is FormatId(kEvidence, id): "V-000123"
  int64_t person_id = 0;     // the person it documents, 0 if none
  int64_t testimony_id = 0;  // the testimony it belongs to, 0 if none (not both 0)
  EvidenceKind kind = EvidenceKind::kDocument;
  std::string media_type;     // detected from the content: "image/jpeg"
  std::string original_name;  // the uploaded file's name; private (names often name people)
  int64_t size = 0;           // bytes of the file (not of its encrypted form)
  std::string sha256;         // of the file, lower-case hex
  std::string blob;           // the vault's name for the encrypted file: "ab/cdef..."
  std::string created_at;     // ISO 8601 UTC, set by the store
  std::string added_by;       // the actor who added it
  std::string note;           // private
  Privacy privacy = Privacy::kRestricted;

  std::string public_id() const { return FormatId(IdKind::kEvidence, id); }
  friend bool operator==(const Evidence&, const Evidence&) = default;
};

// The JSON form, as registry/json.h writes the other records (ids as "V-000123", "P-...").
nlohmann::json ToJson(const Evidence& evidence);
Result<Evidence> EvidenceFromJson(const nlohmann::json& json);

// What a file is, judged by its first bytes and never by its name.
struct MediaType {
  std::string_view name;  // "image/jpeg"
  EvidenceKind kind;      // the kind such files usually are
};

// How many leading bytes DetectMediaType needs to decide.
inline constexpr size_t kMediaSniffBytes = 64;

// Recognises JPEG, PNG, GIF, WebP, TIFF (photos), PDF (documents), MP4, QuickTime, WebM,
// Matroska (video), MP3, Ogg, WAV and M4A (audio) from the first bytes of a file.
// "\xFF\xD8\xFF\xE0..." -> {"image/jpeg", kPhoto}.
// kInvalidArgument (field "file") for anything else, empty files included: only types a
// reviewer can open are accepted.
Result<MediaType> DetectMediaType(std::string_view head);

// Where evidence files are kept, encrypted. Declared here, where it is used; implemented in
// store/ (store/vault.h).
// Thread safety: implementations say.
class EvidenceVault {
 public:
  virtual ~EvidenceVault() = default;

  struct Stored {
    std::string blob;    // the name to give Get and Remove
    int64_t size = 0;    // plaintext bytes
    std::string sha256;  // of the plaintext, lower-case hex
  };

  // Stores `head` followed by the rest of `rest` as one new encrypted file, written
  // completely or not at all. kResourceExhausted (field "file") when the content is larger
  // than the vault's limit; kUnavailable when the disk fails.
  virtual Result<Stored> Put(std::string_view head, std::istream& rest) = 0;

  // Decrypts the file to `out` and returns the size and sha256 of what it wrote. kDataLoss
  // when the file was altered, truncated or extended, or was written under another key;
  // `out` may then hold part of the content, which must not be used. kNotFound when absent.
  virtual Result<Stored> Get(std::string_view blob, std::ostream& out) = 0;

  // Deletes the file; ok when it is already gone.
  virtual Status Remove(std::string_view blob) = 0;
};

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_EVIDENCE_H_
