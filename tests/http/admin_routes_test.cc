// The backup download over the real server.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "api_fixture.h"
#include "store/backup.h"

namespace izde::http {
namespace {

using nlohmann::json;

// The regular files of a ustar archive: path -> content. Fails the test on a bad header.
std::map<std::string, std::string> ReadTar(const std::string& tar) {
  std::map<std::string, std::string> files;
  size_t pos = 0;
  while (pos + 512 <= tar.size()) {
    std::string header = tar.substr(pos, 512);
    if (header.find_first_not_of('\0') == std::string::npos) break;  // the end blocks
    EXPECT_EQ(header.substr(257, 5), "ustar");
    unsigned sum = 0;
    for (size_t idx = 0; idx < 512; ++idx) {
      sum += (idx >= 148 && idx < 156) ? unsigned{' '} : static_cast<unsigned char>(header[idx]);
    }
    EXPECT_EQ(std::strtoul(header.substr(148, 7).c_str(), nullptr, 8), sum) << "checksum";
    std::string name = header.substr(0, 100).c_str();
    std::string prefix = header.substr(345, 155).c_str();
    if (!prefix.empty()) name = prefix + "/" + name;
    size_t size = std::strtoul(header.substr(124, 12).c_str(), nullptr, 8);
    pos += 512;
    EXPECT_LE(pos + size, tar.size()) << name << " is cut short";
    files[name] = tar.substr(pos, size);
    pos += (size + 511) / 512 * 512;
  }
  return files;
}

class AdminApiTest : public ApiTest {
 protected:
  void SetUp() override {
    std::string db = dir_.File("izde.db");
    StartServer({.backup = [db](const std::string& out, bool include_key) {
      return store::BackupRegistry(db, out, {.include_key = include_key}).status();
    }});
  }
};

TEST_F(AdminApiTest, AnAdminDownloadsTheBackupAsOneTarAndItIsAudited) {
  Login editor = SignIn("editor");
  ASSERT_EQ(Send("POST", "/api/persons", &editor, PersonBody("Serikzhan Bilash")).first, 201);
  Login admin = SignIn("admin");
  auto client = Client();
  auto res = client->Post("/api/admin/backup", Headers(admin), "{}", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/x-tar");
  std::string disposition = res->get_header_value("Content-Disposition");
  EXPECT_NE(disposition.find("attachment; filename=\"izde-backup-"), std::string::npos);
  std::map<std::string, std::string> files = ReadTar(res->body);
  std::string top;
  for (const auto& [name, content] : files) {
    if (name.ends_with("/manifest.txt")) top = name.substr(0, name.size() - 13);
  }
  ASSERT_FALSE(top.empty()) << "no manifest";
  EXPECT_NE(disposition.find(top + ".tar"), std::string::npos) << disposition;
  ASSERT_TRUE(files.count(top + "/izde.db"));
  EXPECT_EQ(files[top + "/izde.db"].substr(0, 16), std::string("SQLite format 3\0", 16));
  EXPECT_FALSE(files.count(top + "/izde.key"));
  EXPECT_NE(files[top + "/manifest.txt"].find(store::kBackupFormat), std::string::npos);

  // The archive is a backup `izde backup verify` accepts: unpack it and verify.
  for (const auto& [name, content] : files) {
    std::string path = dir_.File("unpacked/" + name);
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }
  ASSERT_OK_AND_ASSIGN(store::BackupManifest manifest,
                       store::VerifyBackup(dir_.File("unpacked/" + top)));
  EXPECT_EQ(manifest.table_rows["persons"], 1);

  ASSERT_OK_AND_ASSIGN(auto audit, store_->History(top));
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "backup.download");
  EXPECT_EQ(audit[0].actor, "web:admin");
  EXPECT_EQ(json::parse(audit[0].after)["include_key"], false);
  // No temporary copy is left behind once the response is sent.
  std::string temp = std::filesystem::temp_directory_path();
  for (const auto& entry : std::filesystem::directory_iterator(temp)) {
    EXPECT_EQ(entry.path().filename().string().find(top), std::string::npos);
  }
}

TEST_F(AdminApiTest, OnlyAnAdminWithCsrfAndAKnownBody) {
  for (const char* role : {"viewer", "editor", "reviewer"}) {
    Login login = SignIn(role);
    EXPECT_EQ(Send("POST", "/api/admin/backup", &login, "{}").first, 403) << role;
  }
  Login admin = SignIn("admin");
  EXPECT_EQ(Send("POST", "/api/admin/backup", &admin, "{}", /*csrf=*/false).first, 403);
  auto [status, body] = Send("POST", "/api/admin/backup", &admin, R"({"include_key":"yes"})");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"]["field"], "include_key");
  EXPECT_EQ(Send("POST", "/api/admin/backup", &admin, R"({"everything":true})").first, 400);
}

TEST_F(ApiTest, ABackupWithoutABackupFunctionIs412AndPointsToTheCommand) {
  Login admin = SignIn("admin");
  auto [status, body] = Send("POST", "/api/admin/backup", &admin, "{}");
  EXPECT_EQ(status, 412) << body;
  EXPECT_NE(body["error"]["message"].get<std::string>().find("izde backup"), std::string::npos);
}

}  // namespace
}  // namespace izde::http
