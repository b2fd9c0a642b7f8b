// `izde link` through the real program, on small synthetic CSV files written by the test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "testing/run_izde.h"
#include "testing/temp_dir.h"

namespace izde::cli {
namespace {

using ::izde::testing::ReadWholeFile;
using ::izde::testing::RunIzde;
using ::izde::testing::RunResult;
using ::testing::HasSubstr;

// Synthetic people (invented names): id, entity, given, surname, dob, city. Records of one
// entity differ by typos, script, a missing part or a partial date.
struct Row {
  std::string id, entity, given, surname, dob, city;
};
const std::vector<Row> kRows = {
    {"a1", "A", "Serikzhan", "Bilash", "1974-03-12", "Almaty"},
    {"a2", "A", "Серікжан", "Біләш", "1974-03-12", "Almaty"},
    {"a3", "A", "Serikjan", "Bilas", "1974", "Almati"},
    {"b1", "B", "Aigerim", "Tokhtarova", "1988-11-02", "Astana"},
    {"b2", "B", "Aygerim", "Tokhtarova", "1988-11-20", "Astana"},
    {"c1", "C", "Nurlan", "Kenzhebekov", "1961-05-30", "Shymkent"},
    {"c2", "C", "Nurlan", "Kenzhebekov", "1961-05-30", ""},
    {"d1", "D", "Gulnara", "Abdrakhmanova", "1979-07-07", "Oral"},
    {"d2", "D", "Gulnara", "Abdrahmanova", "1979-07-07", "Oral"},
    {"e1", "E", "Yerlan", "Sadykov", "1990-01-15", "Taraz"},
    {"e2", "E", "Erlan", "Sadykov", "1990-01-15", "Taraz"},
    {"f1", "F", "Dinara", "Zhakupova", "1983-09-09", "Aktobe"},
    {"f2", "F", "Zhakupova", "Dinara", "1983-09-09", "Aktobe"},
    {"g1", "G", "Bakhyt", "Ospanov", "1955-12-01", "Semey"},
    {"h1", "H", "Saule", "Mukanova", "1992-04-18", "Kostanay"},
    {"i1", "I", "Timur", "Bekov", "1970-02-25", "Atyrau"},
    {"j1", "J", "Askar", "Nurpeisov", "1966-06-06", "Pavlodar"},
    {"k1", "K", "Zhanna", "Ismailova", "1985-08-14", "Kyzylorda"},
    {"l1", "L", "Marat", "Bekov", "1958-10-10", "Ekibastuz"},
    {"m1", "M", "Aliya", "Sadykova", "1995-03-03", "Turkistan"},
    {"n1", "N", "Daniyar", "Ospanov", "1981-11-11", "Zhezkazgan"},
    {"o1", "O", "Gulnar", "Mukanova", "1977-05-05", "Petropavl"},
};

std::string Csv(const std::vector<Row>& rows) {
  std::string text = "person_id,given,surname,birth,town\n";
  for (const Row& row : rows) {
    text += row.id + "," + row.given + "," + row.surname + "," + row.dob + "," + row.city + "\n";
  }
  return text;
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(ReadWholeFile(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::istringstream fields_in(line);
    std::string field;
    while (std::getline(fields_in, field, ',')) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

class LinkCliTest : public ::testing::Test {
 protected:
  RunResult Izde(const std::vector<std::string>& args) { return RunIzde(dir_, args); }
  std::string File(const std::string& name) { return dir_.File(name); }

  ::izde::testing::TempDir dir_;
};

TEST_F(LinkCliTest, DeduplicatesOneFileIntoPairsAndClusters) {
  Write(File("people.csv"), Csv(kRows));
  RunResult result = Izde({"link", "--left", File("people.csv"), "--id", "person_id", "--name",
                           "given,surname", "--date", "birth", "--field", "town", "--out",
                           File("pairs.csv"), "--clusters", File("clusters.csv")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("22 records (deduplicated)"));

  std::map<std::string, std::string> entity_of;
  for (const Row& row : kRows) entity_of[row.id] = row.entity;
  std::set<std::pair<std::string, std::string>> expected;
  for (size_t first = 0; first < kRows.size(); ++first) {
    for (size_t second = first + 1; second < kRows.size(); ++second) {
      if (kRows[first].entity == kRows[second].entity) {
        expected.insert({kRows[first].id, kRows[second].id});
      }
    }
  }
  std::vector<std::vector<std::string>> pairs = ReadCsv(File("pairs.csv"));
  ASSERT_FALSE(pairs.empty());
  EXPECT_THAT(pairs[0], ::testing::ElementsAre("left_id", "right_id", "score"));
  std::set<std::pair<std::string, std::string>> found;
  for (size_t row_idx = 1; row_idx < pairs.size(); ++row_idx) {
    ASSERT_EQ(pairs[row_idx].size(), 3U);
    found.insert({pairs[row_idx][0], pairs[row_idx][1]});
    EXPECT_GE(std::stod(pairs[row_idx][2]), 0.0);
  }
  EXPECT_EQ(found, expected);

  std::vector<std::vector<std::string>> clusters = ReadCsv(File("clusters.csv"));
  ASSERT_EQ(clusters.size(), kRows.size() + 1);
  EXPECT_THAT(clusters[0], ::testing::ElementsAre("id", "cluster_id"));
  std::map<std::string, std::string> cluster_of;
  for (size_t row_idx = 1; row_idx < clusters.size(); ++row_idx) {
    cluster_of[clusters[row_idx][0]] = clusters[row_idx][1];
  }
  for (const Row& first : kRows) {
    for (const Row& second : kRows) {
      EXPECT_EQ(cluster_of[first.id] == cluster_of[second.id], first.entity == second.entity)
          << first.id << " and " << second.id;
    }
  }
}

TEST_F(LinkCliTest, LinksTwoFilesAndExplains) {
  std::vector<Row> left;
  std::vector<Row> right;
  for (const Row& row : kRows) {
    (row.id.back() == '1' ? left : right).push_back(row);
  }
  Write(File("left.csv"), Csv(left));
  Write(File("right.csv"), Csv(right));
  RunResult result =
      Izde({"link", "--left", File("left.csv"), "--right", File("right.csv"), "--id", "person_id",
            "--name", "given,surname", "--date", "birth", "--field", "town", "--out",
            File("pairs.csv"), "--explain", "--model-out", File("model.csv")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string pairs = ReadWholeFile(File("pairs.csv"));
  EXPECT_THAT(pairs, HasSubstr("left_id,right_id,score,explanation\n"));
  for (const std::string entity : {"a", "b", "c", "d", "e", "f"}) {
    EXPECT_THAT(pairs, HasSubstr(entity + "1," + entity + "2,")) << pairs;
  }
  EXPECT_THAT(pairs, ::testing::Not(HasSubstr("a2,a3")));  // both in the right file
  EXPECT_THAT(pairs, HasSubstr("birth +"));
  EXPECT_THAT(ReadWholeFile(File("model.csv")), HasSubstr("birth,same date,"));
}

TEST_F(LinkCliTest, NamesAMissingColumnAndListsThePresentOnes) {
  Write(File("people.csv"), Csv(kRows));
  RunResult result = Izde({"link", "--left", File("people.csv"), "--id", "person_id", "--name",
                           "given,family", "--out", File("pairs.csv")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("no column \"family\""));
  EXPECT_THAT(result.err, HasSubstr("its columns are: person_id, given, surname, birth, town"));
}

TEST_F(LinkCliTest, NamesTheLineOfABadRow) {
  Write(File("people.csv"),
        "person_id,given,surname\np1,Serikzhan,Bilash\np2,Aigerim\np3,Nurlan,Kenzhebekov\n");
  RunResult result = Izde({"link", "--left", File("people.csv"), "--id", "person_id", "--name",
                           "given,surname", "--out", File("pairs.csv")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("line 3: 2 fields where the header has 3"));

  Write(File("dup.csv"), "person_id,given,surname\np1,Serikzhan,Bilash\np1,Aigerim,Sadykova\n");
  result = Izde({"link", "--left", File("dup.csv"), "--id", "person_id", "--name", "given,surname",
                 "--out", File("pairs.csv")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("line 3: id \"p1\" repeats line 2"));

  Write(File("bad.csv"),
        "person_id,given,surname\np1,Serikzhan,Bil\xff"
        "sh\n");
  result = Izde({"link", "--left", File("bad.csv"), "--id", "person_id", "--name", "given,surname",
                 "--out", File("pairs.csv")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("line 2"));
}

TEST_F(LinkCliTest, RejectsAnUnknownModel) {
  Write(File("people.csv"), Csv(kRows));
  RunResult result = Izde({"link", "--left", File("people.csv"), "--id", "person_id", "--name",
                           "given", "--out", File("pairs.csv"), "--model", "magic"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("unknown model \"magic\""));
}

TEST_F(LinkCliTest, RejectsARightFileWithNoRecords) {
  Write(File("people.csv"), Csv(kRows));
  Write(File("empty.csv"), "person_id,given,surname,birth,town\n");
  RunResult result =
      Izde({"link", "--left", File("people.csv"), "--right", File("empty.csv"), "--id", "person_id",
            "--name", "given,surname", "--out", File("pairs.csv")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("empty.csv has no records"));
}

}  // namespace
}  // namespace izde::cli
