#include "registry/evidence.h"

#include <array>
#include <nlohmann/json.hpp>
#include <utility>

namespace izde::registry {
namespace {

constexpr std::array<std::pair<std::string_view, EvidenceKind>, 4> kKinds = {{
    {"photo", EvidenceKind::kPhoto},
    {"document", EvidenceKind::kDocument},
    {"video", EvidenceKind::kVideo},
    {"audio", EvidenceKind::kAudio},
}};

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The bytes at [offset, offset + size), or "" when the head is shorter.
std::string_view At(std::string_view head, size_t offset, size_t size) {
  if (head.size() < offset + size) return {};
  return head.substr(offset, size);
}

// An MPEG audio frame header: 11 sync bits, MPEG version not reserved, layer III (MP3)
// or II, a bitrate index that is neither free nor bad, a sampling rate not reserved.
bool IsMpegAudioFrame(std::string_view head) {
  if (head.size() < 4) return false;
  const auto b1 = static_cast<uint8_t>(head[1]);
  const auto b2 = static_cast<uint8_t>(head[2]);
  if (static_cast<uint8_t>(head[0]) != 0xFF || (b1 & 0xE0) != 0xE0) return false;
  const int version = (b1 >> 3) & 0x3;
  const int layer = (b1 >> 1) & 0x3;
  const int bitrate = (b2 >> 4) & 0xF;
  const int rate = (b2 >> 2) & 0x3;
  return version != 1 && (layer == 1 || layer == 2) && bitrate != 0 && bitrate != 0xF && rate != 3;
}

std::string IdOrEmpty(IdKind kind, int64_t id) { return id == 0 ? "" : FormatId(kind, id); }

}  // namespace

std::string_view EvidenceKindName(EvidenceKind kind) {
  for (const auto& [name, value] : kKinds) {
    if (value == kind) return name;
  }
  return "document";
}

Result<EvidenceKind> ParseEvidenceKind(std::string_view text) {
  for (const auto& [name, value] : kKinds) {
    if (name == text) return value;
  }
  return InvalidArgumentError(
      "'" + std::string(text) + "' is not one of photo, document, video, audio", "kind");
}

Result<MediaType> DetectMediaType(std::string_view head) {
  using K = EvidenceKind;
  if (StartsWith(head, "\xFF\xD8\xFF")) return MediaType{"image/jpeg", K::kPhoto};
  if (StartsWith(head, "\x89PNG\r\n\x1A\n")) return MediaType{"image/png", K::kPhoto};
  if (StartsWith(head, "GIF87a") || StartsWith(head, "GIF89a")) {
    return MediaType{"image/gif", K::kPhoto};
  }
  if (StartsWith(head, "RIFF") && At(head, 8, 4) == "WEBP") {
    return MediaType{"image/webp", K::kPhoto};
  }
  if (StartsWith(head, "RIFF") && At(head, 8, 4) == "WAVE") {
    return MediaType{"audio/wav", K::kAudio};
  }
  // Scanned documents are often TIFF.
  if (StartsWith(head, std::string_view("II*\0", 4)) ||
      StartsWith(head, std::string_view("MM\0*", 4))) {
    return MediaType{"image/tiff", K::kDocument};
  }
  if (StartsWith(head, "%PDF-")) return MediaType{"application/pdf", K::kDocument};
  // ISO base media (MP4, QuickTime, M4A): a box of type "ftyp" first, its major brand next.
  if (At(head, 4, 4) == "ftyp") {
    const std::string_view brand = At(head, 8, 4);
    if (brand == "M4A " || brand == "M4B ") return MediaType{"audio/mp4", K::kAudio};
    if (brand == "qt  ") return MediaType{"video/quicktime", K::kVideo};
    if (!brand.empty()) return MediaType{"video/mp4", K::kVideo};
  }
  // Older QuickTime files start with a "moov", "mdat" or "wide" atom.
  for (std::string_view atom : {"moov", "mdat", "wide"}) {
    if (At(head, 4, 4) == atom) return MediaType{"video/quicktime", K::kVideo};
  }
  // EBML (Matroska and WebM): the DocType element names which.
  if (StartsWith(head, "\x1A\x45\xDF\xA3")) {
    if (head.find("webm") != std::string_view::npos) return MediaType{"video/webm", K::kVideo};
    if (head.find("matroska") != std::string_view::npos) {
      return MediaType{"video/x-matroska", K::kVideo};
    }
  }
  if (StartsWith(head, "OggS")) return MediaType{"audio/ogg", K::kAudio};
  if (StartsWith(head, "ID3") || IsMpegAudioFrame(head)) {
    return MediaType{"audio/mpeg", K::kAudio};
  }
  if (head.empty()) return InvalidArgumentError("the file is empty", "file");
  return InvalidArgumentError(
      "the content is not a type the registry accepts (JPEG, PNG, GIF, WebP, TIFF, PDF, MP4, "
      "MOV, WebM, MKV, MP3, Ogg, WAV, M4A); the file name does not count",
      "file");
}

nlohmann::json ToJson(const Evidence& evidence) {
  return {{"id", IdOrEmpty(IdKind::kEvidence, evidence.id)},
          {"person", IdOrEmpty(IdKind::kPerson, evidence.person_id)},
          {"testimony", IdOrEmpty(IdKind::kTestimony, evidence.testimony_id)},
          {"kind", EvidenceKindName(evidence.kind)},
          {"media_type", evidence.media_type},
          {"original_name", evidence.original_name},
          {"size", evidence.size},
          {"sha256", evidence.sha256},
          {"blob", evidence.blob},
          {"created_at", evidence.created_at},
          {"added_by", evidence.added_by},
          {"note", evidence.note},
          {"privacy", PrivacyName(evidence.privacy)}};
}

Result<Evidence> EvidenceFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return InvalidArgumentError("expected a JSON object");
  Evidence evidence;
  auto text = [&](const char* key) -> Result<std::string> {
    if (!json.contains(key) || json[key].is_null()) return std::string();
    if (!json[key].is_string()) return InvalidArgumentError("expected a string", key);
    return json[key].get<std::string>();
  };
  auto id = [&](const char* key, IdKind kind) -> Result<int64_t> {
    IZDE_ASSIGN_OR_RETURN(std::string value, text(key));
    if (value.empty()) return int64_t{0};
    Result<int64_t> parsed = ParseId(kind, value);
    if (!parsed.ok()) return Status(parsed.status().code(), parsed.status().message(), key);
    return parsed;
  };
  IZDE_ASSIGN_OR_RETURN(evidence.id, id("id", IdKind::kEvidence));
  IZDE_ASSIGN_OR_RETURN(evidence.person_id, id("person", IdKind::kPerson));
  IZDE_ASSIGN_OR_RETURN(evidence.testimony_id, id("testimony", IdKind::kTestimony));
  IZDE_ASSIGN_OR_RETURN(std::string kind, text("kind"));
  IZDE_ASSIGN_OR_RETURN(evidence.kind, ParseEvidenceKind(kind));
  IZDE_ASSIGN_OR_RETURN(evidence.media_type, text("media_type"));
  IZDE_ASSIGN_OR_RETURN(evidence.original_name, text("original_name"));
  if (json.contains("size") && !json["size"].is_null()) {
    if (!json["size"].is_number_integer())
      return InvalidArgumentError("expected an integer", "size");
    evidence.size = json["size"].get<int64_t>();
  }
  IZDE_ASSIGN_OR_RETURN(evidence.sha256, text("sha256"));
  IZDE_ASSIGN_OR_RETURN(evidence.blob, text("blob"));
  IZDE_ASSIGN_OR_RETURN(evidence.created_at, text("created_at"));
  IZDE_ASSIGN_OR_RETURN(evidence.added_by, text("added_by"));
  IZDE_ASSIGN_OR_RETURN(evidence.note, text("note"));
  IZDE_ASSIGN_OR_RETURN(std::string privacy, text("privacy"));
  if (!privacy.empty()) {
    Result<Privacy> parsed = ParsePrivacy(privacy);
    if (!parsed.ok()) return Status(parsed.status().code(), parsed.status().message(), "privacy");
    evidence.privacy = *parsed;
  }
  return evidence;
}

}  // namespace izde::registry
