// Kills `izde import` with SIGKILL at many points of a large import; the database must stay
// intact and hold either the whole import or none of it.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "testing/run_izde.h"
#include "testing/temp_dir.h"

namespace izde::cli {
namespace {

using ::izde::testing::RunIzde;

constexpr int kRows = 8000;

// A synthetic persons file: generated names, never real people.
void WritePersonsCsv(const std::string& path) {
  std::ofstream out(path);
  out << "external_id,name,alt_names,gender,birth_date,ethnicity,hometown,status,notes\n";
  const char* given[] = {"Nurlan", "Aigul", "Serik", "Gulnar", "Erlan", "Mehmet", "Ayshe"};
  const char* father[] = {"Bolatuly", "Kasymova", "Tursun", "Abdulla", "Omarov"};
  for (int row = 0; row < kRows; ++row) {
    out << fmt::format("crash-{},{} {},Нұрлан | 努尔兰,{},{},kazakh,Ghulja,detained,row {}\n",
                       row, given[row % 7], father[row % 5], row % 2 == 0 ? "male" : "female",
                       1950 + row % 50, row);
  }
}

struct DbState {
  std::string integrity;
  int64_t persons = -1;
  int64_t audit = -1;
};

DbState Inspect(const std::string& path) {
  DbState state;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return state;
  }
  auto query = [&](const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string text;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return text;
  };
  state.integrity = query("PRAGMA integrity_check");
  state.persons = std::stoll(query("SELECT count(*) FROM persons"));
  state.audit = std::stoll(query("SELECT count(*) FROM audit"));
  sqlite3_close(db);
  return state;
}

TEST(CrashSafetyTest, KilledImportLeavesAllOrNothing) {
  ::izde::testing::TempDir dir;
  std::string csv = dir.File("persons.csv");
  WritePersonsCsv(csv);
  const char* env_binary = std::getenv("IZDE_BINARY");
  std::string binary = env_binary != nullptr ? env_binary : IZDE_DEFAULT_BINARY;

  // How long one whole import takes here, to spread the kills over it.
  ASSERT_EQ(RunIzde(dir, {"--db", dir.File("timing.db"), "init"}).exit_code, 0);
  auto start = std::chrono::steady_clock::now();
  auto timed = RunIzde(dir, {"--db", dir.File("timing.db"), "import", "persons", csv});
  ASSERT_EQ(timed.exit_code, 0) << timed.err;
  auto full = std::chrono::steady_clock::now() - start;

  int killed_midway = 0;
  constexpr int kAttempts = 8;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::string db = dir.File(fmt::format("crash-{}.db", attempt));
    ASSERT_EQ(RunIzde(dir, {"--db", db, "init"}).exit_code, 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      execl(binary.c_str(), binary.c_str(), "--db", db.c_str(), "import", "persons",
            csv.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    // From 10% to 95% of a full import's time.
    auto delay = full * (10 + attempt * 85 / (kAttempts - 1)) / 100;
    std::this_thread::sleep_for(delay);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++killed_midway;

    DbState state = Inspect(db);
    EXPECT_EQ(state.integrity, "ok") << "attempt " << attempt;
    EXPECT_TRUE(state.persons == 0 || state.persons == kRows)
        << "attempt " << attempt << ": " << state.persons << " persons";
    // Audit entries come and go with their records: one per person, one per status event.
    EXPECT_EQ(state.audit, state.persons * 2) << "attempt " << attempt;
  }
  // Most kills must land inside the import, or the test proves nothing.
  EXPECT_GE(killed_midway, kAttempts / 2);
}

}  // namespace
}  // namespace izde::cli
