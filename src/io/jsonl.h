#ifndef IZDE_IO_JSONL_H_
#define IZDE_IO_JSONL_H_

#include <cstdint>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "core/result.h"

namespace izde::io {

// Reads JSON Lines (https://jsonlines.org): one JSON object per line, UTF-8. A byte order
// mark at the start, a CR before each LF and blank lines are tolerated.
// nlohmann-json reports errors by throwing; they are caught here and become a Status.
// Thread safety: none; one reader belongs to one thread.
class JsonlReader {
 public:
  explicit JsonlReader(std::istream& in) : in_(in) {}

  // Reads the next non-blank line. Returns false at the end of the input.
  // Returns kInvalidArgument for a line that is not valid UTF-8, not JSON, or JSON but not an
  // object; text() holds the line, and the next call goes on with the line after it.
  // Returns kUnavailable when the stream fails for another reason than its end.
  Result<bool> Next();

  // The object last read (valid until the next call of Next()).
  const nlohmann::ordered_json& object() const { return object_; }
  // The text of the line last read, without its line break.
  const std::string& text() const { return text_; }
  // The physical line (1-based) of the line last read.
  int64_t line() const { return line_; }
  // Bytes consumed from the stream so far, for progress reports.
  int64_t bytes_read() const { return bytes_read_; }

 private:
  std::istream& in_;
  std::string text_;
  nlohmann::ordered_json object_;
  int64_t line_ = 0;
  int64_t bytes_read_ = 0;
  bool done_ = false;
};

// Writes one compact JSON object per line, "\n"-terminated. Invalid UTF-8 in strings is
// replaced by U+FFFD rather than thrown about: output must never stop half way.
class JsonlWriter {
 public:
  explicit JsonlWriter(std::ostream& out) : out_(out) {}
  void Write(const nlohmann::ordered_json& object);

 private:
  std::ostream& out_;
};

// nlohmann's exception text without its "[json.exception.parse_error.101] " prefix.
std::string JsonErrorMessage(const std::exception& error);

}  // namespace izde::io

#endif  // IZDE_IO_JSONL_H_
