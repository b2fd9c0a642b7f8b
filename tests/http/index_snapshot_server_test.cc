// The server's name index snapshot: read at start from ServerOptions::index_snapshot, written
// back by SaveIndexSnapshot after a graceful stop (docs/server.md "Starting it").
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "http/api_fixture.h"

namespace izde::http {
namespace {

// The query's spaces as %20 (the test names are ASCII letters and spaces).
std::string EncodeSpaces(std::string query) {
  for (size_t pos = query.find(' '); pos != std::string::npos; pos = query.find(' ', pos)) {
    query.replace(pos, 1, "%20");
  }
  return query;
}

class IndexSnapshotServerTest : public ApiTest {
 protected:
  void SetUp() override {}  // each test starts its server with its own options

  ServerOptions WithSnapshot() const {
    ServerOptions options;
    options.index_snapshot = snapshot_;
    return options;
  }

  // Stops accepting, waits for Run to return, and keeps the server for SaveIndexSnapshot.
  void StopOnly() {
    server_->Stop();
    runner_.join();
  }

  std::string CreatePersonThroughApi(const std::string& name) {
    Login editor = SignIn("editor");
    auto [status, body] = Send("POST", "/api/persons", &editor, PersonBody(name));
    EXPECT_EQ(status, 201) << body;
    return body.is_object() ? body["person"]["id"].get<std::string>() : "";
  }

  bool Finds(const std::string& query, const std::string& id) {
    Login viewer = SignIn("viewer");
    auto [status, body] = Send("GET", "/api/search?q=" + EncodeSpaces(query), &viewer);
    EXPECT_EQ(status, 200) << body;
    for (const nlohmann::json& row : body["results"]) {
      if (row["id"] == id) return true;
    }
    return false;
  }

  std::string snapshot_ = dir_.File("elsewhere.index");
};

TEST_F(IndexSnapshotServerTest, ShutdownWritesTheIndexSoTheNextStartReReadsNothing) {
  StartServer(WithSnapshot());
  EXPECT_FALSE(server_->index_load().from_snapshot);  // none yet: built, then written
  ASSERT_TRUE(std::filesystem::exists(snapshot_));
  const std::string id = CreatePersonThroughApi("Aqbota Nurlan");
  ASSERT_FALSE(id.empty());
  StopOnly();
  ASSERT_OK_AND_ASSIGN(bool written, server_->SaveIndexSnapshot());
  EXPECT_TRUE(written);
  ASSERT_OK_AND_ASSIGN(bool again, server_->SaveIndexSnapshot());
  EXPECT_FALSE(again) << "nothing changed since the last write";
  server_.reset();

  StartServer(WithSnapshot());
  const io::IndexLoadReport& load = server_->index_load();
  EXPECT_TRUE(load.from_snapshot) << load.rebuilt_because;
  EXPECT_EQ(load.refreshed, 0);
  EXPECT_EQ(load.indexed, 1);
  EXPECT_TRUE(Finds("Aqbota Nurlan", id));
  StopOnly();
  ASSERT_OK_AND_ASSIGN(bool unchanged, server_->SaveIndexSnapshot());
  EXPECT_FALSE(unchanged) << "the index did not change in the second run";
  server_.reset();
}

// The control: a server that stops without SaveIndexSnapshot (killed) leaves the snapshot of
// its start, and the next start re-reads the person written since.
TEST_F(IndexSnapshotServerTest, WithoutTheShutdownWriteTheNextStartReReadsTheChange) {
  StartServer(WithSnapshot());
  const std::string id = CreatePersonThroughApi("Aqbota Nurlan");
  StopOnly();
  server_.reset();

  StartServer(WithSnapshot());
  EXPECT_TRUE(server_->index_load().from_snapshot);
  EXPECT_EQ(server_->index_load().refreshed, 1);
  EXPECT_TRUE(Finds("Aqbota Nurlan", id));
  StopServer();
}

TEST_F(IndexSnapshotServerTest, NoPathNoSnapshot) {
  StartServer({});
  ASSERT_FALSE(CreatePersonThroughApi("Aqbota Nurlan").empty());
  StopOnly();
  ASSERT_OK_AND_ASSIGN(bool written, server_->SaveIndexSnapshot());
  EXPECT_FALSE(written);
  server_.reset();
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().string().find(".index"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace izde::http
