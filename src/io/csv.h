#ifndef IZDE_IO_CSV_H_
#define IZDE_IO_CSV_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/utf8.h"

namespace izde::io {

// Reads CSV as RFC 4180 describes it, one record at a time from a stream, so that a file of
// a million rows is never held in memory whole:
//   - fields separated by commas, records by CRLF, LF or a lone CR;
//   - quoted fields with "" for a quote, and commas and line breaks inside;
//   - a UTF-8 byte order mark at the very start is skipped;
//   - blank lines are skipped (they would be records of one empty field, which no izde
//     import accepts, and spreadsheets leave them at the end of files);
//   - a quote inside an unquoted field is kept as text (5" floppy), as most tools do.
// The first record is a record like any other: the caller treats it as the header.
//
// Thread safety: none; one reader belongs to one thread.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in, size_t buffer_size = size_t{1} << 16);
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record. Returns false at the end of the input.
  // Returns kInvalidArgument, with error_line() the physical line of the problem, for
  //   - an unterminated quoted field ("unterminated quoted field"): the rest of the input is
  //     part of that field, so the reader stops; later calls return false;
  //   - invalid UTF-8 or text after a closing quote: the record was read whole, fields()
  //     holds it, and the next call goes on with the record after it.
  // Returns kUnavailable when the stream fails for another reason than its end.
  Result<bool> Next();

  // The fields of the record last read. Valid until the next call of Next().
  std::span<const std::string> fields() const { return {fields_.data(), field_count_}; }
  // The physical line (1-based) on which the record last read starts.
  int64_t line() const { return record_line_; }
  // The physical line of the problem Next() last reported.
  int64_t error_line() const { return error_line_; }
  // Bytes consumed from the stream so far, for progress reports.
  int64_t bytes_read() const { return bytes_read_; }

 private:
  static constexpr int kEnd = -1;

  int Peek() {
    if (pos_ == end_ && !Fill()) return kEnd;
    return static_cast<unsigned char>(buffer_[pos_]);
  }
  void Advance() { ++pos_; }
  bool Fill();
  std::string& StartField();
  // Reads up to the closing quote. False if the input ended first.
  bool ReadQuoted(std::string& field);
  void ReadUnquoted(std::string& field);
  Status CheckUtf8();

  std::istream& in_;
  std::vector<char> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool at_start_ = true;
  bool stream_failed_ = false;
  bool done_ = false;
  int64_t bytes_read_ = 0;
  int64_t line_ = 1;  // the physical line at pos_
  int64_t record_line_ = 0;
  int64_t error_line_ = 0;
  std::vector<std::string> fields_;  // kept between records to reuse their capacity
  size_t field_count_ = 0;
};

// Writes CSV that CsvReader (and spreadsheets) read back to the same fields: fields are
// quoted only when they hold a comma, a quote or a line break, records end with "\n".
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}

  void WriteRow(std::span<const std::string> fields);
  void WriteRow(std::span<const std::string_view> fields);

 private:
  void Append(std::string_view field);
  void Flush();

  std::ostream& out_;
  std::string line_;
};

}  // namespace izde::io

#endif  // IZDE_IO_CSV_H_
