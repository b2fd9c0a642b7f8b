#include "io/jsonl.h"

#include <fmt/format.h>

#include "io/csv.h"

namespace izde::io {

std::string JsonErrorMessage(const std::exception& error) {
  std::string_view text = error.what();
  if (text.starts_with("[json.exception.")) {
    const size_t close = text.find("] ");
    if (close != std::string_view::npos) text.remove_prefix(close + 2);
  }
  // Every line is parsed on its own, so nlohmann's "at line 1, " says nothing.
  std::string message(text);
  const size_t at_line = message.find("at line 1, ");
  if (at_line != std::string::npos) message.erase(at_line, 11);
  return message;
}

Result<bool> JsonlReader::Next() {
  object_ = nullptr;
  for (;;) {
    if (done_) return false;
    if (!std::getline(in_, text_)) {
      done_ = true;
      if (in_.bad()) return UnavailableError("read error");
      return false;
    }
    ++line_;
    bytes_read_ += static_cast<int64_t>(text_.size()) + 1;
    if (line_ == 1 && text_.starts_with("\xEF\xBB\xBF")) text_.erase(0, 3);
    if (!text_.empty() && text_.back() == '\r') text_.pop_back();
    if (text_.find_first_not_of(" \t") != std::string::npos) break;
  }
  const size_t bad = FindInvalidUtf8(text_);
  if (bad != std::string_view::npos) {
    return InvalidArgumentError(fmt::format("invalid UTF-8 at column {} (byte 0x{:02X})", bad + 1,
                                            static_cast<unsigned char>(text_[bad])));
  }
  try {
    object_ = nlohmann::ordered_json::parse(text_);
  } catch (const nlohmann::json::exception& error) {
    object_ = nullptr;
    return InvalidArgumentError("invalid JSON: " + JsonErrorMessage(error));
  }
  if (!object_.is_object()) {
    std::string type = object_.type_name();
    object_ = nullptr;
    return InvalidArgumentError(fmt::format("expected a JSON object, found {}", type));
  }
  return true;
}

void JsonlWriter::Write(const nlohmann::ordered_json& object) {
  std::string text;
  try {
    text = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const nlohmann::json::exception& error) {
    // Only a bug can get here (replace handles bad UTF-8); write a line that says so rather
    // than throwing out of io.
    text = nlohmann::ordered_json{{"error", JsonErrorMessage(error)}}.dump();
  }
  text.push_back('\n');
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace izde::io
