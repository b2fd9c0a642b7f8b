#ifndef IZDE_TESTS_TESTING_REGISTRY_CLI_TEST_H_
#define IZDE_TESTS_TESTING_REGISTRY_CLI_TEST_H_

// A test fixture for commands that move whole registries (backup, restore, copy): it runs the
// real `izde` on registries in a temp dir, builds a demo registry whose tables all have rows,
// and shows what a registry holds as the program prints it, to compare two registries.

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "testing/run_izde.h"
#include "testing/temp_dir.h"

namespace izde::testing {

class RegistryCliTest : public ::testing::Test {
 protected:
  // Runs `izde --db DB ARGS...` in the test's directory.
  RunResult Izde(const std::string& db, std::vector<std::string> args,
                 const std::string& stdin_text = "") {
    args.insert(args.begin(), {"--db", Location(db)});
    return RunIzde(dir_, args, stdin_text);
  }
  // A URL stays a URL; a file name goes into the test's directory.
  std::string Location(const std::string& db) const {
    return db.starts_with("postgresql://") ? db : dir_.File(db);
  }

  // A demo registry with an edited person (a history of more than one entry) and an evidence
  // file in the vault; `with_linkage` adds a user, the dedupe queue, a merge and a matched list
  // with reviewed rows, so that every table has rows.
  void MakeRegistry(const std::string& db, int persons = 40, int seed = 11,
                    bool with_linkage = false) {
    ASSERT_EQ(Izde(db, {"init"}).exit_code, 0);
    RunResult demo =
        Izde(db, {"demo", "--persons", std::to_string(persons), "--seed", std::to_string(seed)});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    RunResult event = Izde(
        db, {"event", "add", "--person", "P-000003", "--type", "released", "--date", "2020-05"});
    ASSERT_EQ(event.exit_code, 0) << event.err;
    std::string jpeg = "\xFF\xD8\xFF\xE0";
    for (int idx = 0; idx < 5000; ++idx) jpeg += static_cast<char>(idx * 31 % 251);
    std::ofstream(dir_.File("photo.jpg"), std::ios::binary) << jpeg;
    RunResult added = Izde(db, {"evidence", "add", dir_.File("photo.jpg"), "--person", "P-000003"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    if (!with_linkage) return;
    RunResult user = Izde(db, {"user", "add", "aigerim", "--role", "editor"});
    ASSERT_EQ(user.exit_code, 0) << user.err;
    ASSERT_EQ(Izde(db, {"dedupe", "--threshold", "0"}).exit_code, 0);
    RunResult merged = Izde(db, {"merge", "P-000001", "P-000002", "--note", "same"});
    ASSERT_EQ(merged.exit_code, 0) << merged.err;
    std::ofstream(dir_.File("roster.csv")) << "Name,Year\nSerikzhan Bilash,1974\nAsqar Azat,1980\n";
    RunResult matched = Izde(db, {"match", dir_.File("roster.csv"), "--map", "name=Name,birth=Year",
                                  "--list", "Roster", "--threshold", "0"});
    ASSERT_EQ(matched.exit_code, 0) << matched.err;
    RunResult review = Izde(db, {"review", "--list", "L-000001"}, "n\nn\n");
    ASSERT_EQ(review.exit_code, 0) << review.err;
  }

  // What a registry holds, as the program shows it: counts, every record, one person's record,
  // history and evidence; with `with_linkage` also the users and the clusters.
  std::string Contents(const std::string& db, bool with_linkage = false) {
    std::vector<std::vector<std::string>> shows = {{"stats", "--json"},
                                                   {"export", "persons"},
                                                   {"export", "events"},
                                                   {"export", "testimonies"},
                                                   {"person", "show", "3", "--json"},
                                                   {"history", "P-000003", "--json"},
                                                   {"evidence", "list", "P-000003", "--json"}};
    if (with_linkage) {
      shows.push_back({"user", "list", "--json"});
      shows.push_back({"clusters", "--json"});
    }
    std::string all;
    for (const std::vector<std::string>& args : shows) {
      RunResult shown = Izde(db, args);
      EXPECT_EQ(shown.exit_code, 0) << args[0] << ": " << shown.err;
      all += shown.out;
    }
    return all;
  }

  TempDir dir_;
};

}  // namespace izde::testing

#endif  // IZDE_TESTS_TESTING_REGISTRY_CLI_TEST_H_
