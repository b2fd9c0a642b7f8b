#include "match/scoring.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "testing/memo_numbers.h"

namespace izde::match {
namespace {

using ::testing::HasSubstr;

names::NameAnalysis Analyze(const std::string& name) {
  Result<names::NameAnalysis> analysis = names::AnalyzeName(name);
  EXPECT_TRUE(analysis.ok());
  return analysis.ok() ? *analysis : names::NameAnalysis{};
}

std::vector<std::string> FieldNames(const Score& score) {
  std::vector<std::string> fields;
  for (const FieldWeight& field : score.explanation) fields.push_back(field.field);
  return fields;
}

TEST(ScoringTest, ExplainsEveryKnownField) {
  Scorer scorer;
  Fields query{YearRange::Exactly(1974), "654002", Gender::kMale};
  Fields record{YearRange::Exactly(1974), "654002", Gender::kMale};
  Score score = scorer.Compare({Analyze("Serikzhan Bilash")}, query,
                               {Analyze("Ilham Tohti"), Analyze("Серікжан Біләш")}, record);
  EXPECT_THAT(FieldNames(score),
              ::testing::ElementsAre("name", "birth_year", "hometown", "gender"));
  EXPECT_EQ(score.record_form, 1);
  EXPECT_THAT(score.explanation[0].value, HasSubstr("Серікжан Біләш"));
  EXPECT_GT(score.explanation[0].weight, 5);
  EXPECT_THAT(score.explanation[1].value, HasSubstr("same year"));
  EXPECT_THAT(score.explanation[2].value, HasSubstr("same county"));
  double sum = 0;
  for (const FieldWeight& field : score.explanation) sum += field.weight;
  EXPECT_DOUBLE_EQ(score.total, sum);
}

TEST(ScoringTest, LeavesUnknownFieldsOut) {
  Scorer scorer;
  Score score = scorer.Compare({Analyze("Ilham Tohti")}, Fields{}, {Analyze("Ilham Tohti")},
                               Fields{YearRange::Exactly(1969), "", Gender::kMale});
  EXPECT_THAT(FieldNames(score), ::testing::ElementsAre("name"));
}

TEST(ScoringTest, BirthYearWeighsByPrecision) {
  Scorer scorer;
  double exact = scorer.BirthYearWeight(YearRange::Exactly(1974), YearRange::Exactly(1974)).weight;
  double about = scorer.BirthYearWeight(YearRange::Exactly(1974), {1973, 1975}).weight;
  double decade = scorer.BirthYearWeight({1970, 1979}, YearRange::Exactly(1974)).weight;
  double off_by_one =
      scorer.BirthYearWeight(YearRange::Exactly(1974), YearRange::Exactly(1975)).weight;
  double far = scorer.BirthYearWeight(YearRange::Exactly(1974), YearRange::Exactly(1990)).weight;
  EXPECT_GT(exact, about);
  EXPECT_GT(about, decade);
  EXPECT_GE(decade, 0);
  EXPECT_GT(decade, off_by_one);
  EXPECT_GT(off_by_one, far);
  EXPECT_LT(far, -3);
  EXPECT_EQ(scorer.BirthYearWeight({}, YearRange::Exactly(1974)).weight, 0);
}

TEST(ScoringTest, HometownPrefersCountyOverPrefecture) {
  Scorer scorer;
  double county = scorer.HometownWeight("654002", "654002003").weight;
  double prefecture = scorer.HometownWeight("654002", "654021").weight;
  double different = scorer.HometownWeight("654002", "650102").weight;
  EXPECT_GT(county, prefecture);
  EXPECT_GT(prefecture, 0);
  EXPECT_LT(different, 0);
  EXPECT_EQ(scorer.HometownWeight("", "654002").weight, 0);
}

TEST(ScoringTest, PrefectureComesFromTheCallback) {
  // A gazetteer may place a code outside the prefecture its digits suggest.
  Scorer scorer(
      [](std::string_view code) { return code == "659001" ? "6542" : PrefectureByDigits(code); });
  EXPECT_THAT(scorer.HometownWeight("654201", "659001").value, HasSubstr("same prefecture"));
  EXPECT_THAT(Scorer().HometownWeight("654201", "659001").value, HasSubstr("different"));
}

TEST(ScoringTest, GenderConflictCountsAgainst) {
  Scorer scorer;
  EXPECT_GT(scorer.GenderWeight(Gender::kMale, Gender::kMale).weight, 0);
  EXPECT_LT(scorer.GenderWeight(Gender::kMale, Gender::kFemale).weight, -4);
  EXPECT_EQ(scorer.GenderWeight(Gender::kUnknown, Gender::kFemale).weight, 0);
}

TEST(ScoringTest, DifferentNamesWeighAgainst) {
  Scorer scorer;
  EXPECT_LT(scorer.NameWeight(Analyze("Serikzhan Bilash"), Analyze("Gulbahar Jalilova")).weight, 0);
  EXPECT_GT(scorer.NameWeight(Analyze("Ilham Tohti"), Analyze("伊力哈木·土赫提")).weight, 5);
}

TEST(ScoringTest, FieldsWeightIsTheSumOfTheFieldLines) {
  Scorer scorer;
  const std::vector<Fields> cases = {
      {YearRange::Exactly(1974), "654002", Gender::kMale},
      {{1973, 1975}, "654021", Gender::kFemale},
      {YearRange::Exactly(1990), "650102", Gender::kUnknown},
      {{}, "", Gender::kMale},
  };
  for (const Fields& query : cases) {
    for (const Fields& record : cases) {
      const double lines = scorer.BirthYearWeight(query.birth, record.birth).weight +
                           scorer.HometownWeight(query.hometown_code, record.hometown_code).weight +
                           scorer.GenderWeight(query.gender, record.gender).weight;
      EXPECT_DOUBLE_EQ(scorer.FieldsWeight(query, record), lines);
    }
  }
  // The name weight never exceeds the bound Find relies on.
  Score score =
      scorer.Compare({Analyze("Ilham Tohti")}, cases[0], {Analyze("Ilham Tohti")}, cases[0]);
  EXPECT_DOUBLE_EQ(score.total, scorer.FieldsWeight(cases[0], cases[0]) + Scorer::MaxNameWeight());
}

TEST(ScoringTest, WrittenClosenessPrefersTheSameSpelling) {
  const names::NameAnalysis query = Analyze("Serikzhan Bilash");
  EXPECT_DOUBLE_EQ(WrittenCloseness(query, Analyze("Serikzhan Bilash")), 1.0);
  EXPECT_DOUBLE_EQ(WrittenCloseness(query, Analyze("Bilash Serikzhan")), 0.9);
  const double typo = WrittenCloseness(query, Analyze("Serikzhan Bilasj"));
  const double variant = WrittenCloseness(query, Analyze("Serikjan Bilash"));
  EXPECT_DOUBLE_EQ(typo, 0.75);
  EXPECT_DOUBLE_EQ(variant, 0.7);
  EXPECT_LT(WrittenCloseness(query, Analyze("Ilham Tohti")), variant);
}

TEST(ScoringTest, CompareKeepsTheClosestWrittenFormOfAnyPair) {
  Scorer scorer;
  // The Cyrillic form may sound the best; the Latin one is written as the query is.
  Score score = scorer.Compare({Analyze("Serikzhan Bilash")}, {},
                               {Analyze("Серікжан Біләш"), Analyze("Serikzhan Bilash")}, {});
  EXPECT_DOUBLE_EQ(score.written, 1.0);
  Score variant = scorer.Compare({Analyze("Serikzhan Bilash")}, {},
                                 {Analyze("Серікжан Біләш"), Analyze("Serikjan Bilash")}, {});
  EXPECT_LT(variant.written, 1.0);
  EXPECT_GE(variant.written, 0.7);
}

// `written` is the best WrittenCloseness of any query name and any record form, here the second
// query name's with the third form; then a record of one form after one of four.
TEST(ScoringTest, WrittenIsTheClosestOfEveryPairOfForms) {
  Scorer scorer;
  const std::vector<names::NameAnalysis> query = {Analyze("Ilham Tohti"),
                                                  Analyze("Serikzhan Bilasj")};
  const std::vector<names::NameAnalysis> record = {
      Analyze("Серікжан Біләш"), Analyze("Ilxam Toxti"), Analyze("Serikzhan Bilash"),
      Analyze("Bilash Serikjan")};
  double expected = 0;
  for (const names::NameAnalysis& query_name : query) {
    for (const names::NameAnalysis& record_name : record) {
      expected = std::max(expected, WrittenCloseness(query_name, record_name));
    }
  }
  EXPECT_DOUBLE_EQ(expected, 0.75);
  EXPECT_DOUBLE_EQ(scorer.Compare(query, {}, record, {}).written, expected);
  const names::NameAnalysis alone = Analyze("Ilxam Toxti");
  EXPECT_DOUBLE_EQ(scorer.Compare(query, {}, {alone}, {}).written,
                   std::max(WrittenCloseness(query[0], alone), WrittenCloseness(query[1], alone)));
  EXPECT_DOUBLE_EQ(scorer.CompareUnexplained(query, {}, {alone}, {}).written,
                   scorer.Compare(query, {}, {alone}, {}).written);
}

// A name of more parts than fit the stack (16): sorted and joined the same way.
TEST(ScoringTest, WrittenClosenessSortsManyParts) {
  std::string forward;
  std::string backward;
  for (const char* part : {"Aa", "Bb", "Cc", "Dd", "Ee", "Ff", "Gg", "Hh", "Ii", "Jj",
                           "Kk", "Ll", "Mm", "Nn", "Oo", "Pp", "Qq", "Rr", "Ss", "Tt"}) {
    forward += std::string(forward.empty() ? "" : " ") + part;
    backward = std::string(part) + (backward.empty() ? "" : " ") + backward;
  }
  const names::NameAnalysis query = Analyze(forward);
  ASSERT_GT(query.parts.size(), 16u);
  EXPECT_DOUBLE_EQ(WrittenCloseness(query, Analyze(backward)), 0.9);
  EXPECT_DOUBLE_EQ(WrittenCloseness(query, Analyze(forward + "x")), 0.8 - 0.05);
}

// Records' names in several scripts, one record with none, for the tests that compare every
// pair; `more` adds a record with two unrelated forms and a Han name.
std::vector<std::vector<names::NameAnalysis>> SampleNames(bool more) {
  std::vector<std::vector<names::NameAnalysis>> names = {
      {Analyze("Serikzhan Bilash")},
      {Analyze("Серікжан Біләш"), Analyze("Serikjan Bilash")},
      {Analyze("Ilham Tohti"), Analyze("ئىلھام توختى")},
      {Analyze("Bilash Serikzhan")},
  };
  if (more) {
    names.push_back({Analyze("Serik Bilashev"), Analyze("Abdurehim Heyit")});
    names.push_back({Analyze("伊力哈木·土赫提")});
  }
  names.emplace_back();
  return names;
}

// Fields known on neither side, one, or both, agreeing or not.
std::vector<Fields> SampleFields() {
  return {
      {},
      {YearRange::Exactly(1974), "654002", Gender::kMale},
      {YearRange{1970, 1976}, "654021", Gender::kFemale},
      {YearRange::Exactly(1990), "", Gender::kUnknown},
  };
}

// CompareUnexplained gives Compare's numbers to the last bit, with no explanation; Explain then
// writes Compare's lines. Over names in several scripts and fields known on one side, both or
// neither.
TEST(ScoringTest, CompareUnexplainedIsCompareLessTheExplanation) {
  Scorer scorer;
  const std::vector<std::vector<names::NameAnalysis>> names = SampleNames(false);
  const std::vector<Fields> fields = SampleFields();
  int compared = 0;
  for (const auto& query_names : names) {
    for (const auto& record_names : names) {
      for (const Fields& query : fields) {
        for (const Fields& record : fields) {
          const Score full = scorer.Compare(query_names, query, record_names, record);
          Score bare = scorer.CompareUnexplained(query_names, query, record_names, record);
          EXPECT_EQ(bare.total, full.total);
          EXPECT_EQ(bare.name_score, full.name_score);
          EXPECT_EQ(bare.written, full.written);
          EXPECT_EQ(bare.query_form, full.query_form);
          EXPECT_EQ(bare.record_form, full.record_form);
          EXPECT_TRUE(bare.explanation.empty());
          scorer.Explain(query_names, query, record_names, record, bare);
          ASSERT_EQ(bare.explanation.size(), full.explanation.size());
          double sum = 0;
          for (size_t line = 0; line < full.explanation.size(); ++line) {
            EXPECT_EQ(bare.explanation[line].field, full.explanation[line].field);
            EXPECT_EQ(bare.explanation[line].value, full.explanation[line].value);
            EXPECT_EQ(bare.explanation[line].weight, full.explanation[line].weight);
            sum += full.explanation[line].weight;
          }
          EXPECT_EQ(full.total, sum);  // the total is what the lines add up to
          EXPECT_EQ(bare.total, full.total);
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared, 400);
}

// Find's last block drops a candidate when CompareUnexplainedAtLeast says it cannot reach the
// `limit`-th best total: it must say so only of pairs whose full score is below, and give the
// full score, to the last bit, of every pair it keeps.
TEST(ScoringTest, CompareUnexplainedAtLeastDropsOnlyPairsBelowAndKeepsTheFullScore) {
  Scorer scorer;
  const std::vector<std::vector<names::NameAnalysis>> names = SampleNames(true);
  const std::vector<Fields> fields = SampleFields();
  constexpr double kSlack = 1e-9;
  int dropped = 0;
  int kept = 0;
  for (const auto& query_names : names) {
    for (const auto& record_names : names) {
      for (const Fields& query : fields) {
        for (const Fields& record : fields) {
          const Score full = scorer.CompareUnexplained(query_names, query, record_names, record);
          for (double min_total : {-100.0, 0.0, 5.0, 10.0, full.total, full.total + 0.01, 20.0}) {
            for (double min_name : {0.0, 0.8}) {
              Score bounded;
              if (!scorer.CompareUnexplainedAtLeast(query_names, query, record_names, record,
                                                    min_total, min_name, kSlack, bounded)) {
                EXPECT_TRUE(full.total < min_total || full.name_score < min_name)
                    << full.total << " " << min_total << " " << full.name_score;
                ++dropped;
                continue;
              }
              EXPECT_EQ(bounded.total, full.total);
              EXPECT_EQ(bounded.name_score, full.name_score);
              EXPECT_EQ(bounded.written, full.written);
              EXPECT_EQ(bounded.query_form, full.query_form);
              EXPECT_EQ(bounded.record_form, full.record_form);
              ++kept;
            }
          }
          // A pair that reaches what is asked is never dropped.
          Score at_total;
          EXPECT_TRUE(scorer.CompareUnexplainedAtLeast(query_names, query, record_names, record,
                                                       full.total, 0.0, kSlack, at_total));
        }
      }
    }
  }
  // Both ways taken, many times.
  EXPECT_GT(dropped, 500);
  EXPECT_GT(kept, 500);
}

// Find keeps per query what it learns of its names against numbered record forms
// (ComparisonMemo): a name score, a level one is below, a written closeness. With one memo per
// query across every record and every bound, each answer must be the one given without it,
// whether the record's forms are held in a vector or pointed at.
TEST(ScoringTest, CompareUnexplainedAtLeastWithAMemoAnswersAsWithout) {
  Scorer scorer;
  std::vector<std::vector<names::NameAnalysis>> names = SampleNames(true);
  names.push_back({Analyze("Serikzhan Bilash"), Analyze("Ilham Tohti")});  // forms met before
  ::izde::testing::MemoNumbers numbers;
  for (auto& group : names) {
    for (names::NameAnalysis& name : group) numbers.Number(name);
  }
  const std::vector<Fields> fields = SampleFields();
  constexpr double kSlack = 1e-9;
  // Find's forms are pointed at, each unpacked once per query: the same answers again.
  std::vector<std::vector<const names::NameAnalysis*>> pointed;
  for (const auto& group : names) {
    pointed.emplace_back();
    for (const names::NameAnalysis& name : group) pointed.back().push_back(&name);
  }
  int kept = 0;
  int dropped = 0;
  for (const auto& query_names : names) {
    ComparisonMemo memo;
    ComparisonMemo pointed_memo;
    // The bounds high first, then low: a pair first found below a level is asked again under
    // lower ones, and must then be compared.
    for (double min_total : {20.0, 10.0, 5.0, 0.0, -100.0}) {
      for (size_t record_idx = 0; record_idx < names.size(); ++record_idx) {
        const std::vector<names::NameAnalysis>& record_names = names[record_idx];
        for (const Fields& query : fields) {
          for (const Fields& record : fields) {
            for (double min_name : {0.8, 0.0}) {
              Score without;
              const bool passes = scorer.CompareUnexplainedAtLeast(
                  query_names, query, record_names, record, min_total, min_name, kSlack, without);
              Score with;
              ASSERT_EQ(scorer.CompareUnexplainedAtLeast(query_names, query, record_names, record,
                                                         min_total, min_name, kSlack, with, &memo),
                        passes);
              Score through_pointers;
              ASSERT_EQ(scorer.CompareUnexplainedAtLeast(query_names, query, pointed[record_idx],
                                                         record, min_total, min_name, kSlack,
                                                         through_pointers, &pointed_memo),
                        passes);
              if (!passes) {
                ++dropped;
                continue;
              }
              EXPECT_EQ(with.total, without.total);
              EXPECT_EQ(with.name_score, without.name_score);
              EXPECT_EQ(with.written, without.written);
              EXPECT_EQ(with.query_form, without.query_form);
              EXPECT_EQ(with.record_form, without.record_form);
              EXPECT_EQ(through_pointers.total, without.total);
              EXPECT_EQ(through_pointers.name_score, without.name_score);
              EXPECT_EQ(through_pointers.written, without.written);
              EXPECT_EQ(through_pointers.query_form, without.query_form);
              EXPECT_EQ(through_pointers.record_form, without.record_form);
              ++kept;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(dropped, 500);
  EXPECT_GT(kept, 500);
}

TEST(ScoringTest, AMemoIsReadByTheRecordFormsNumber) {
  Scorer scorer;
  const std::vector<names::NameAnalysis> query = {Analyze("Ilham Tohti")};
  std::vector<names::NameAnalysis> same = {Analyze("Ilham Tohti")};
  std::vector<names::NameAnalysis> other = {Analyze("Gulnar Abdukerim")};
  const Score same_score = scorer.CompareUnexplained(query, {}, same, {});
  const Score other_score = scorer.CompareUnexplained(query, {}, other, {});
  ASSERT_GT(same_score.name_score, other_score.name_score);
  // A caller's mistake: two different forms under one number. The memo answers for the number.
  same[0].memo_id = 7;
  other[0].memo_id = 7;
  ComparisonMemo memo;
  Score score;
  ASSERT_TRUE(scorer.CompareUnexplainedAtLeast(query, {}, same, {}, -100.0, 0.0, 1e-9, score, &memo));
  EXPECT_EQ(score.name_score, same_score.name_score);
  ASSERT_TRUE(scorer.CompareUnexplainedAtLeast(query, {}, other, {}, -100.0, 0.0, 1e-9, score, &memo));
  EXPECT_EQ(score.name_score, same_score.name_score);
  EXPECT_EQ(score.written, same_score.written);
  // Once cleared, the form is compared again.
  memo.Clear();
  ASSERT_TRUE(scorer.CompareUnexplainedAtLeast(query, {}, other, {}, -100.0, 0.0, 1e-9, score, &memo));
  EXPECT_EQ(score.name_score, other_score.name_score);
  EXPECT_EQ(score.written, other_score.written);
}

}  // namespace
}  // namespace izde::match
