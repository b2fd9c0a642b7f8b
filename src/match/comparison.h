#ifndef IZDE_MATCH_COMPARISON_H_
#define IZDE_MATCH_COMPARISON_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "names/analyze.h"

namespace izde::match {

// What a field holds, which decides how two values are compared.
enum class FieldKind : uint8_t {
  kName,    // a person's name, in any script and part order
  kDate,    // a date, possibly partial: "1974-03-12", "19740312", "1974-03", "1974", "12/03/1974"
  kString,  // free text: exact, one or two edits, or close by Jaro-Winkler
  kExact,   // a code: the same or not
};

// izde's model, or the plain Splink-style baseline it is measured against: the same fields and
// the same EM, but names compared per column by Jaro-Winkler on the raw strings, dates and
// strings by edit distance on the raw strings, and no term-frequency adjustment.
enum class ModelKind : uint8_t { kIzde, kPlain };

struct FieldSpec {
  std::string name;  // shown in explanations: "name", "dob", "soc_sec_id"
  FieldKind kind = FieldKind::kString;
};

// Levenshtein distance with adjacent transpositions (optimal string alignment), or `cap` + 1
// when it is more than `cap`. "1974" ~ "1947" = 1.
int EditDistance(std::string_view left, std::string_view right, int cap);

// A date as far as it is known: precision 3 (day), 2 (month), 1 (year), 0 (not understood).
struct DateValue {
  int year = 0;
  int month = 0;
  int day = 0;
  int precision = 0;
  std::string digits;  // yyyymmdd, yyyymm, yyyy, or the digits of a date not understood
};
// "1974-03-12", "19740312" and "12/03/1974" -> 1974, 3, 12 (precision 3); "1974" -> precision 1.
// Month and day are not checked against the calendar: a typo in a record is still evidence.
DateValue ParseDate(std::string_view text);

// The records of a linkage prepared for comparison, field by field: names analysed, values
// normalised, term frequencies counted. Compares any two records into comparison levels (0 is
// the best; -1 when the field is empty on either side) and gives the blocking keys of each.
// Thread safety: const methods may run concurrently.
class Comparator {
 public:
  // `rows[record][field]` is the text of one field of one record, in the order of `fields`.
  // `progress`, when set, is called now and then with (records done, records).
  // Returns kInvalidArgument when there are no fields, a row has the wrong number of values, or
  // a value is not valid UTF-8 (naming the record and field).
  static Result<std::unique_ptr<Comparator>> Create(
      std::vector<FieldSpec> fields, ModelKind model, std::vector<std::vector<std::string>> rows,
      const std::function<void(int64_t, int64_t)>& progress = {});

  size_t size() const { return record_count_; }
  ModelKind model() const { return model_; }
  const std::vector<FieldSpec>& fields() const { return fields_; }
  // Number of levels of `field`, and a name for each ("exact", "1 edit", "same year"...).
  int levels(size_t field) const;
  std::string_view LevelName(size_t field, int level) const;

  // Writes one level per field into `levels` and, when `adjustments` is not empty, the
  // term-frequency adjustment of each field (log2; 0 where none applies). Returns the sum of
  // the adjustments.
  //
  // Term frequency (izde model only): a value shared by two records says more the rarer it is.
  // For a string or code at its exact level, the adjustment is log2(E / tf(value)), where tf is
  // the share of records holding the value and E = sum of tf^2 is the chance that two random
  // records agree on any value (Splink's adjustment). For names, each pair of aligned parts
  // spelled alike (or with the same phonetic key) adds the same for that part, so that two
  // "Serikzhan"s count for more than two "Muhammad"s.
  double Compare(uint32_t left, uint32_t right, std::span<int8_t> levels,
                 std::span<double> adjustments = {}) const;

  // One line per field for a person to read: the level and both values, e.g.
  // "1 edit: 1974-03-12 ~ 1974-03-21".
  std::string Describe(uint32_t left, uint32_t right, size_t field, int level) const;

  // The keys a record is blocked on: phonetic keys of its name parts alone and in pairs, a name
  // key with the birth year, each date, and each string or code value (normalised).
  std::vector<std::string> BlockingKeys(uint32_t record) const;

  // The value of a field as given.
  std::string_view Value(uint32_t record, size_t field) const {
    return raw_[record * fields_.size() + field];
  }

 private:
  struct TermFrequencies {
    std::unordered_map<std::string, uint32_t> counts;
    double total = 0;
    double expected = 0;  // sum over values of (count / total)^2
    void Finish();
    // log2(expected / tf(value)), or 0 for a value not counted.
    double Adjustment(const std::string& value) const;
  };

  struct PrivateTag {};

 public:
  explicit Comparator(PrivateTag /*unused*/) {}

 private:
  int CompareName(uint32_t left, uint32_t right, size_t field, double* adjustment,
                  double* similarity) const;
  // Whether a name field's value of one record turns up in another name field of the other.
  bool MovedName(uint32_t left, uint32_t right, size_t field) const;
  int CompareDate(uint32_t left, uint32_t right, size_t field) const;
  int CompareString(uint32_t left, uint32_t right, size_t field, double* adjustment) const;
  const std::string& Text(uint32_t record, size_t field) const {
    return text_[record * fields_.size() + field];
  }

  std::vector<FieldSpec> fields_;
  ModelKind model_ = ModelKind::kIzde;
  size_t record_count_ = 0;
  std::vector<std::string> raw_;               // as given (trimmed), record-major
  std::vector<std::string> text_;              // what is compared: normalised (izde) or raw (plain)
  std::vector<std::string> block_text_;        // normalised, for blocking in both models
  std::vector<DateValue> dates_;               // record-major, only for date fields
  std::vector<names::NameAnalysis> analyses_;  // record-major, only for name fields
  std::vector<std::vector<std::string>> name_keys_;  // per record: all name fields' keys
  std::vector<int> years_;                           // per record: the first date's year or 0
  std::vector<TermFrequencies> values_tf_;           // per field: whole values (strings and codes)
  std::vector<TermFrequencies> parts_tf_;            // per field: name parts by spelling
  std::vector<TermFrequencies> keys_tf_;             // per field: name parts by phonetic key
};

}  // namespace izde::match

#endif  // IZDE_MATCH_COMPARISON_H_
