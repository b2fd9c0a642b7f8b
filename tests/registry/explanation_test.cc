// The compact form in which list candidates' explanations are stored (CompactExplanation) and
// its reading back (ExpandExplanation): the JSON every reader gets is byte for byte the JSON
// that was written before the compact form existed, and rows written before read as they were.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "match/scoring.h"
#include "registry/linkage.h"

namespace izde::registry {
namespace {

using Fields = std::vector<match::FieldWeight>;

// Explanations as the scorer writes them, in several scripts, with weights that round in all
// the ways a JSON number can be written (negative, whole, one decimal, rounded up, -0).
std::vector<Fields> ScorerLikeExplanations() {
  return {
      {{"name", "identical (1.00): 阿不都吾甫尔·热合曼 ~ 阿不都吾甫尔·热合曼", 10.1},
       {"birth_year", "same year (1956 ~ 1956)", 5.58},
       {"hometown", "same county (650103 ~ 650103)", 5.91}},
      {{"name", "same (0.93): Serikzhan Bilash ~ Серікжан Біләш", 8.123456},
       {"birth_year", "2 years apart (1974 ~ 1972)", -0.004},
       {"hometown", "different (650103 ~ 652902)", -3.1249999},
       {"gender", "conflict", -4.0}},
      {{"name", R"(similar (0.71): "Ilham" \ Tohti ~ ئىلھام توختى)", 1.0 / 3.0},
       {"birth_year", "ranges overlap (1950..1959 ~ 1955)", 0.005},
       {"gender", "same", 0.0}},
      {{"name", "emoji 🙂 and é ~ x", 123456.789}, {"hometown", "same prefecture (6540 ~ 6540)", 1e-9}},
      {},
  };
}

TEST(ExplanationTest, CompactFormExpandsToTheJsonOfTheSameFields) {
  for (const Fields& fields : ScorerLikeExplanations()) {
    const std::string json = StoredExplanationJson(fields);
    const std::string compact = CompactExplanation(fields);
    EXPECT_TRUE(compact.starts_with("e1:")) << compact;
    EXPECT_EQ(ExpandExplanation(compact), json);
    if (!fields.empty()) {
      EXPECT_LT(compact.size(), json.size() * 2 / 3) << json;  // what it is for
    }
  }
  // The JSON is what it always was: keys in order, weights rounded to 0.01.
  EXPECT_EQ(StoredExplanationJson(ScorerLikeExplanations()[1]),
            R"([{"field":"name","value":"same (0.93): Serikzhan Bilash ~ Серікжан Біләш",)"
            R"j("weight":8.12},{"field":"birth_year","value":"2 years apart (1974 ~ 1972)",)j"
            R"j("weight":-0.0},{"field":"hometown","value":"different (650103 ~ 652902)",)j"
            R"j("weight":-3.12},{"field":"gender","value":"conflict","weight":-4.0}])j");
}

TEST(ExplanationTest, WhatTheCompactFormCannotHoldIsStoredAsJson) {
  const std::vector<Fields> odd = {
      {{"nickname", "not a field the scorer explains", 1.0}},
      {{"name", std::string("broken \xC3 UTF-8 ~ x"), 1.0}},
      {{"name", std::string("overlong \xC0\xAF ~ x"), 1.0}},
      {{"name", std::string("a separator \x1f inside"), 1.0}},
      {{"name", "a line\nbreak", 1.0}},
      {{"name", "fine", 1.0}, {"hometown", std::string("\x1e"), 2.0}},
  };
  for (const Fields& fields : odd) {
    const std::string json = StoredExplanationJson(fields);
    EXPECT_EQ(CompactExplanation(fields), json);
    EXPECT_EQ(ExpandExplanation(json), json);
  }
}

TEST(ExplanationTest, TextNotWrittenCompactlyReadsAsItIs) {
  for (const std::string& stored :
       {std::string(R"([{"field":"name","value":"x","weight":1.5}])"), std::string("[]"),
        std::string("old"), std::string(""), std::string("e1:zname\x1f" "1"),
        std::string("e1:nname\x1f" "1.5x"), std::string("e1:nno weight"),
        std::string("e1:n\x1f")}) {
    EXPECT_EQ(ExpandExplanation(stored), stored);
  }
  EXPECT_EQ(ExpandExplanation("e1:"), "[]");
}

}  // namespace
}  // namespace izde::registry
