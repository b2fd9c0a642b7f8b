#include "http/static_files.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "api_fixture.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::http {
namespace {

using ::izde::testing::StatusIs;

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A built web UI: index.html, one hashed asset, and a secret next to (outside) the root.
class WebRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(root() / "index.html", "<!doctype html><title>izde</title>");
    WriteFile(root() / "assets" / "index-abc123.js", "console.log(1)");
    WriteFile(root() / "assets" / "index-abc123.css", "body{}");
    WriteFile(root() / "favicon.svg", "<svg/>");
    WriteFile(dir_.path() / "secret.txt", "do not serve");
  }
  std::filesystem::path root() const { return dir_.path() / "dist"; }

  izde::testing::TempDir dir_;
};

TEST(ContentTypeTest, KnownExtensionsAndTheFallback) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("index-abc.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("index-abc.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("data.bin"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
}

TEST_F(WebRootTest, OpenNeedsIndexHtml) {
  EXPECT_OK(StaticFiles::Open(root()).status());
  EXPECT_THAT(StaticFiles::Open(dir_.path() / "nowhere").status(), StatusIs(StatusCode::kNotFound));
  std::filesystem::create_directories(dir_.path() / "empty");
  EXPECT_THAT(StaticFiles::Open(dir_.path() / "empty").status(), StatusIs(StatusCode::kNotFound));
}

TEST_F(WebRootTest, ServesFilesWithTheirTypes) {
  ASSERT_OK_AND_ASSIGN(StaticFiles files, StaticFiles::Open(root()));
  ASSERT_OK_AND_ASSIGN(StaticFile index, files.Lookup("/"));
  EXPECT_EQ(index.body, "<!doctype html><title>izde</title>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_FALSE(index.immutable);
  ASSERT_OK_AND_ASSIGN(StaticFile script, files.Lookup("/assets/index-abc123.js"));
  EXPECT_EQ(script.body, "console.log(1)");
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_TRUE(script.immutable);
  ASSERT_OK_AND_ASSIGN(StaticFile icon, files.Lookup("/favicon.svg"));
  EXPECT_EQ(icon.content_type, "image/svg+xml");
  EXPECT_FALSE(icon.immutable);
}

TEST_F(WebRootTest, PagesOfTheAppFallBackToIndexButMissingFilesDoNot) {
  ASSERT_OK_AND_ASSIGN(StaticFiles files, StaticFiles::Open(root()));
  ASSERT_OK_AND_ASSIGN(StaticFile page, files.Lookup("/persons/P-000001"));
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.body, "<!doctype html><title>izde</title>");
  EXPECT_THAT(files.Lookup("/assets/missing-1.js").status(), StatusIs(StatusCode::kNotFound));
}

TEST_F(WebRootTest, RefusesPathsThatLeaveTheRoot) {
  ASSERT_OK_AND_ASSIGN(StaticFiles files, StaticFiles::Open(root()));
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html", "/..",
                           "/assets/..\\..\\secret.txt"}) {
    EXPECT_THAT(files.Lookup(path).status(), StatusIs(StatusCode::kInvalidArgument)) << path;
  }
  EXPECT_THAT(files.Lookup(std::string("/index.html\0.js", 15)).status(),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(WebRootTest, RefusesALinkThatLeadsOutside) {
  std::filesystem::create_symlink(dir_.path() / "secret.txt", root() / "leak.txt");
  ASSERT_OK_AND_ASSIGN(StaticFiles files, StaticFiles::Open(root()));
  EXPECT_THAT(files.Lookup("/leak.txt").status(), StatusIs(StatusCode::kInvalidArgument));
}

// The same files through a real `izde serve` router: the API keeps /api/.
class StaticFilesServerTest : public ApiTest {
 protected:
  void SetUp() override {
    WriteFile(dir_.path() / "dist" / "index.html", "<!doctype html><title>izde</title>");
    WriteFile(dir_.path() / "dist" / "assets" / "app-1.js", "export{}");
    WriteFile(dir_.path() / "secret.txt", "do not serve");
    ServerOptions options;
    options.web_root = (dir_.path() / "dist").string();
    StartServer(std::move(options));
  }
};

TEST_F(StaticFilesServerTest, ServesTheAppOutsideApiAndTheApiInside) {
  auto client = Client();
  auto index = client->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);

  auto page = client->Get("/search?q=x");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, index->body);

  auto script = client->Get("/assets/app-1.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(script->get_header_value("Cache-Control").find("immutable"), std::string::npos);

  auto missing = client->Get("/assets/gone-2.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  // Unknown API routes stay JSON errors, never the app's index.html.
  auto api = client->Get("/api/no-such-route");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 404);
  EXPECT_EQ(api->get_header_value("Content-Type"), "application/json");
  auto me = client->Get("/api/me");
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 401);
}

TEST_F(StaticFilesServerTest, NeverServesAFileOutsideTheRoot) {
  auto client = Client();
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt",
                           "/assets/%2e%2e/%2e%2e/secret.txt", "/%2e%2e/secret.txt"}) {
    auto res = client->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_NE(res->status, 200) << path;
    EXPECT_EQ(res->body.find("do not serve"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesServerTest, AMissingWebRootIsAnError) {
  ServerOptions options;
  options.web_root = (dir_.path() / "nowhere").string();
  EXPECT_THAT(ApiServer::Create(*registry_, std::move(options)).status(),
              StatusIs(StatusCode::kNotFound));
}

}  // namespace
}  // namespace izde::http
