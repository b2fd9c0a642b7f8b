#include "io/csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace izde::io {

CsvReader::CsvReader(std::istream& in, size_t buffer_size)
    : in_(in), buffer_(std::max<size_t>(buffer_size, 16)) {}

bool CsvReader::Fill() {
  if (stream_failed_ || !in_.good()) {
    if (!in_.eof()) stream_failed_ = true;
    return false;
  }
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  const auto got = static_cast<size_t>(in_.gcount());
  if (in_.bad()) stream_failed_ = true;
  bytes_read_ += static_cast<int64_t>(got);
  pos_ = 0;
  end_ = got;
  if (at_start_) {
    at_start_ = false;
    // The first read fills the buffer unless the input is shorter, so a BOM is whole here.
    if (end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  }
  return pos_ < end_;
}

std::string& CsvReader::StartField() {
  if (field_count_ == fields_.size()) fields_.emplace_back();
  std::string& field = fields_[field_count_++];
  field.clear();
  return field;
}

bool CsvReader::ReadQuoted(std::string& field) {
  for (;;) {
    if (pos_ == end_ && !Fill()) return false;
    const char* begin = buffer_.data() + pos_;
    const char* stop = buffer_.data() + end_;
    const char* cursor = begin;
    while (cursor < stop && *cursor != '"' && *cursor != '\n') ++cursor;
    field.append(begin, cursor);
    pos_ = static_cast<size_t>(cursor - buffer_.data());
    if (cursor == stop) continue;
    if (*cursor == '\n') {
      field.push_back('\n');
      ++line_;
      Advance();
      continue;
    }
    Advance();  // the quote
    if (Peek() == '"') {
      field.push_back('"');
      Advance();
      continue;
    }
    return true;
  }
}

void CsvReader::ReadUnquoted(std::string& field) {
  for (;;) {
    if (pos_ == end_ && !Fill()) return;
    const char* begin = buffer_.data() + pos_;
    const char* stop = buffer_.data() + end_;
    const char* cursor = begin;
    while (cursor < stop && *cursor != ',' && *cursor != '\n' && *cursor != '\r') ++cursor;
    field.append(begin, cursor);
    pos_ = static_cast<size_t>(cursor - buffer_.data());
    if (cursor < stop) return;
  }
}

Result<bool> CsvReader::Next() {
  field_count_ = 0;
  error_line_ = 0;
  if (done_) return false;
  for (;;) {
    const int c = Peek();
    if (c == kEnd) {
      done_ = true;
      if (stream_failed_) return UnavailableError("read error");
      return false;
    }
    if (c != '\n' && c != '\r') break;
    Advance();
    if (c == '\r' && Peek() == '\n') Advance();
    ++line_;
  }
  record_line_ = line_;
  std::string after_quote_problem;
  for (;;) {
    std::string& field = StartField();
    int c = Peek();
    if (c == '"') {
      const int64_t quote_line = line_;
      Advance();
      if (!ReadQuoted(field)) {
        done_ = true;
        error_line_ = quote_line;
        if (stream_failed_) return UnavailableError("read error");
        return InvalidArgumentError(fmt::format(
            "unterminated quoted field (field {} starts with a quote that is never closed)",
            field_count_));
      }
      // RFC 4180 allows nothing between a closing quote and the separator. Keep the text,
      // as other readers do, but say so: it usually means a quote was not doubled.
      c = Peek();
      while (c != ',' && c != '\n' && c != '\r' && c != kEnd) {
        if (after_quote_problem.empty()) {
          error_line_ = line_;
          after_quote_problem = fmt::format(
              "field {}: text after the closing quote (a quote inside a quoted field must be "
              "doubled)",
              field_count_);
        }
        field.push_back(static_cast<char>(c));
        Advance();
        c = Peek();
      }
    } else {
      ReadUnquoted(field);
      c = Peek();
    }
    if (c == ',') {
      Advance();
      continue;
    }
    if (c == '\r') {
      Advance();
      if (Peek() == '\n') Advance();
      ++line_;
    } else if (c == '\n') {
      Advance();
      ++line_;
    } else if (stream_failed_) {
      done_ = true;
      return UnavailableError("read error");
    }
    break;
  }
  if (!after_quote_problem.empty()) return InvalidArgumentError(after_quote_problem);
  IZDE_RETURN_IF_ERROR(CheckUtf8());
  return true;
}

Status CsvReader::CheckUtf8() {
  int64_t line = record_line_;
  for (size_t field_idx = 0; field_idx < field_count_; ++field_idx) {
    const std::string& field = fields_[field_idx];
    const size_t bad = FindInvalidUtf8(field);
    if (bad == std::string_view::npos) {
      line += std::count(field.begin(), field.end(), '\n');
      continue;
    }
    // Point at the physical line of the bad byte, which matters in long quoted fields.
    error_line_ =
        line + std::count(field.begin(), field.begin() + static_cast<ptrdiff_t>(bad), '\n');
    return InvalidArgumentError(fmt::format("invalid UTF-8 in field {} (byte 0x{:02X})",
                                            field_idx + 1, static_cast<unsigned char>(field[bad])));
  }
  return OkStatus();
}

void CsvWriter::Append(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    line_.append(field);
    return;
  }
  line_.push_back('"');
  for (char c : field) {
    if (c == '"') line_.push_back('"');
    line_.push_back(c);
  }
  line_.push_back('"');
}

void CsvWriter::Flush() {
  line_.push_back('\n');
  out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
  line_.clear();
}

void CsvWriter::WriteRow(std::span<const std::string> fields) {
  // A record of one empty field would be a blank line, which readers skip.
  if (fields.size() == 1 && fields[0].empty()) {
    line_ = "\"\"";
  } else {
    for (size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
      if (field_idx > 0) line_.push_back(',');
      Append(fields[field_idx]);
    }
  }
  Flush();
}

void CsvWriter::WriteRow(std::span<const std::string_view> fields) {
  if (fields.size() == 1 && fields[0].empty()) {
    line_ = "\"\"";
  } else {
    for (size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
      if (field_idx > 0) line_.push_back(',');
      Append(fields[field_idx]);
    }
  }
  Flush();
}

}  // namespace izde::io
