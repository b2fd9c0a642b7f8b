// Evidence upload and download over the real server, with a real vault in the temp dir.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "api_fixture.h"
#include "store/vault.h"

namespace izde::http {
namespace {

using nlohmann::json;

constexpr int64_t kVaultLimit = 16 * 1024;

// A file that starts like a PNG: the type is read from these bytes, not from a name.
std::string PngBytes(size_t size) {
  std::string bytes = "\x89PNG\r\n\x1A\n";
  bytes += std::string("\0\0\0\rIHDR", 8);
  for (size_t byte_idx = bytes.size(); byte_idx < size; ++byte_idx) {
    bytes.push_back(static_cast<char>((byte_idx * 131) % 256));
  }
  return bytes;
}

class EvidenceApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ASSERT_OK(store::CreateVaultKey(dir_.File("izde.key")));
    ASSERT_OK_AND_ASSIGN(vault_, store::Vault::Open({.dir = dir_.File("izde.vault"),
                                                     .key_path = dir_.File("izde.key"),
                                                     .max_bytes = kVaultLimit}));
    StartServer({.vault = vault_.get(), .max_upload_bytes = 64 * 1024});
    editor_ = SignIn("editor");
    viewer_ = SignIn("viewer");
    auto [status, body] = Send("POST", "/api/persons", &editor_, PersonBody("Nurlan Alim"));
    ASSERT_EQ(status, 201) << body;
  }

  // Posts multipart/form-data; returns (status, parsed body).
  std::pair<int, json> Upload(const httplib::MultipartFormDataItems& items, const Login* login) {
    auto client = Client();
    httplib::Headers headers = login != nullptr ? Headers(*login) : httplib::Headers{};
    auto res = client->Post("/api/evidence", headers, items);
    EXPECT_TRUE(res) << "no response";
    if (!res) return {0, nullptr};
    return {res->status, json::parse(res->body, nullptr, false)};
  }

  int64_t EvidenceCount() {
    Result<int64_t> count = store_->CountEvidence();
    EXPECT_OK(count.status());
    return count.ok() ? *count : -1;
  }

  size_t VaultFiles() {
    size_t files = 0;
    std::error_code ignored;
    if (!std::filesystem::exists(dir_.File("izde.vault"))) return 0;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(dir_.File("izde.vault"), ignored)) {
      if (entry.is_regular_file()) ++files;
    }
    return files;
  }

  std::unique_ptr<store::Vault> vault_;
  Login editor_, viewer_;
};

TEST_F(EvidenceApiTest, UploadThenDownloadGivesTheSameBytesToEditorsOnly) {
  const std::string bytes = PngBytes(9000);
  auto [status, added] = Upload({{"file", bytes, "family photo.jpg", "image/jpeg"},
                                 {"person", "P-000001", "", ""},
                                 {"description", "from the sister", "", ""},
                                 {"consent", "restricted", "", ""}},
                                &editor_);
  ASSERT_EQ(status, 201) << added;
  const json& evidence = added["evidence"];
  EXPECT_EQ(evidence["id"], "V-000001");
  EXPECT_EQ(evidence["person"], "P-000001");
  // From the content, not from the name or the declared type.
  EXPECT_EQ(evidence["media_type"], "image/png");
  EXPECT_EQ(evidence["kind"], "photo");
  EXPECT_EQ(evidence["size"], 9000);
  EXPECT_EQ(evidence["original_name"], "family photo.jpg");
  EXPECT_EQ(evidence["note"], "from the sister");
  EXPECT_EQ(EvidenceCount(), 1);
  // Encrypted at rest: the vault's file does not hold the bytes.
  ASSERT_EQ(VaultFiles(), 1u);

  auto client = Client();
  auto file = client->Get("/api/evidence/V-000001/file", Headers(editor_, false));
  ASSERT_TRUE(file);
  ASSERT_EQ(file->status, 200) << file->body;
  EXPECT_EQ(file->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(file->body, bytes);

  // A viewer sees the metadata without the private members, and never the file.
  auto [meta_status, meta] = Send("GET", "/api/evidence/V-000001", &viewer_);
  ASSERT_EQ(meta_status, 200) << meta;
  EXPECT_EQ(meta["evidence"]["media_type"], "image/png");
  EXPECT_FALSE(meta["evidence"].contains("note")) << meta;
  EXPECT_FALSE(meta["evidence"].contains("original_name")) << meta;
  EXPECT_EQ(meta.dump().find("sister"), std::string::npos);
  auto denied = client->Get("/api/evidence/V-000001/file", Headers(viewer_, false));
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);
  EXPECT_EQ(denied->body.find(bytes.substr(0, 8)), std::string::npos);
  auto anonymous = client->Get("/api/evidence/V-000001/file");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);

  auto [list_status, list] = Send("GET", "/api/persons/P-000001/evidence", &viewer_);
  ASSERT_EQ(list_status, 200) << list;
  ASSERT_EQ(list["evidence"].size(), 1u);
  EXPECT_EQ(list["evidence"][0]["id"], "V-000001");
  EXPECT_FALSE(list["evidence"][0].contains("note"));
  EXPECT_EQ(Send("GET", "/api/persons/P-000001/evidence", &editor_).second["evidence"][0]["note"],
            "from the sister");
}

TEST_F(EvidenceApiTest, PrivateEvidenceIsWithheldFromViewers) {
  auto [status, added] = Upload({{"file", PngBytes(100), "x.png", ""},
                                 {"person", "P-000001", "", ""},
                                 {"privacy", "private", "", ""}},
                                &editor_);
  ASSERT_EQ(status, 201) << added;
  EXPECT_EQ(Send("GET", "/api/evidence/V-000001", &viewer_).first, 404);
  EXPECT_EQ(Send("GET", "/api/persons/P-000001/evidence", &viewer_).second["evidence"].size(), 0u);
  EXPECT_EQ(Send("GET", "/api/evidence/V-000001", &editor_).first, 200);
}

TEST_F(EvidenceApiTest, ATamperedFileIsNeverSent) {
  const std::string bytes = PngBytes(3000);
  auto [status, added] =
      Upload({{"file", bytes, "a.png", ""}, {"person", "P-000001", "", ""}}, &editor_);
  ASSERT_EQ(status, 201) << added;
  std::string stored;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.File("izde.vault"))) {
    if (entry.is_regular_file()) stored = entry.path().string();
  }
  ASSERT_FALSE(stored.empty());
  {
    std::fstream file(stored, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(100);
    char byte = 0;
    file.get(byte);
    file.seekp(100);
    file.put(static_cast<char>(byte ^ 0x5A));
  }
  auto res = Client()->Get("/api/evidence/V-000001/file", Headers(editor_, false));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500) << res->body;
  EXPECT_EQ(json::parse(res->body, nullptr, false)["error"]["code"], "data_loss") << res->body;
  EXPECT_EQ(res->body.find(bytes.substr(0, 8)), std::string::npos);
}

TEST_F(EvidenceApiTest, BadUploadsNameTheFieldAndWriteNothing) {
  struct Case {
    httplib::MultipartFormDataItems items;
    int status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"person", "P-000001", "", ""}}, 400, "file"},
      {{{"file", "just some text, not a photo", "a.jpg", ""}, {"person", "P-000001", "", ""}},
       400,
       "file"},
      {{{"file", PngBytes(kVaultLimit + 1), "big.png", ""}, {"person", "P-000001", "", ""}},
       413,
       "file"},
      {{{"file", PngBytes(100), "a.png", ""}}, 400, "person"},
      {{{"file", PngBytes(100), "a.png", ""}, {"person", "X-12", "", ""}}, 400, "person"},
      {{{"file", PngBytes(100), "a.png", ""},
        {"person", "P-000001", "", ""},
        {"colour", "red", "", ""}},
       400,
       "colour"},
      {{{"file", PngBytes(100), "a.png", ""},
        {"person", "P-000001", "", ""},
        {"privacy", "secret", "", ""}},
       400,
       "privacy"},
  };
  for (const Case& bad : cases) {
    auto [status, body] = Upload(bad.items, &editor_);
    EXPECT_EQ(status, bad.status) << body;
    EXPECT_EQ(body["error"]["field"], bad.field) << body;
  }
  auto [missing, missing_body] =
      Upload({{"file", PngBytes(100), "a.png", ""}, {"person", "P-000099", "", ""}}, &editor_);
  EXPECT_EQ(missing, 404) << missing_body;
  // Only editors upload; JSON is not an upload.
  EXPECT_EQ(Upload({{"file", PngBytes(100), "a.png", ""}, {"person", "P-000001", "", ""}}, &viewer_)
                .first,
            403);
  EXPECT_EQ(Send("POST", "/api/evidence", &editor_, R"({"file":"x"})").first, 400);
  EXPECT_EQ(EvidenceCount(), 0);
  EXPECT_EQ(VaultFiles(), 0u);
}

TEST_F(ApiTest, WithoutAVaultEvidenceFilesAreRefused) {
  Login editor = SignIn("editor");
  ASSERT_EQ(Send("POST", "/api/persons", &editor, PersonBody("Nurlan Alim")).first, 201);
  auto res = Client()->Post("/api/evidence", Headers(editor),
                            httplib::MultipartFormDataItems{{"file", PngBytes(100), "a.png", ""},
                                                            {"person", "P-000001", "", ""}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 412) << res->body;
}

}  // namespace
}  // namespace izde::http
