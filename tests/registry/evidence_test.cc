#include "registry/evidence.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "registry/evidence_use_cases.h"
#include "registry/json.h"
#include "store/open.h"
#include "store/vault.h"
#include "testing/fixtures.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::registry {
namespace {

namespace fs = std::filesystem;
using ::izde::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// A string literal with its NUL bytes.
template <size_t N>
std::string Lit(const char (&text)[N]) {
  return std::string(text, N - 1);
}

std::string WithBody(std::string_view magic, size_t size = 200) {
  std::string out(magic);
  for (size_t idx = 0; out.size() < size; ++idx) out += static_cast<char>('a' + idx % 26);
  return out;
}

TEST(DetectMediaTypeTest, RecognisesEveryAcceptedTypeByContent) {
  struct Case {
    std::string head;
    std::string_view type;
    EvidenceKind kind;
  };
  const std::string iso = std::string("\0\0\0\x20", 4) + "ftyp";
  const Case cases[] = {
      {WithBody(Lit("\xFF\xD8\xFF\xE0\x00\x10JFIF")), "image/jpeg", EvidenceKind::kPhoto},
      {WithBody("\x89PNG\r\n\x1A\n"), "image/png", EvidenceKind::kPhoto},
      {WithBody("GIF89a"), "image/gif", EvidenceKind::kPhoto},
      {WithBody("GIF87a"), "image/gif", EvidenceKind::kPhoto},
      {WithBody(Lit("RIFF\x10\0\0\0WEBPVP8 ")), "image/webp", EvidenceKind::kPhoto},
      {WithBody(std::string("II*\0", 4)), "image/tiff", EvidenceKind::kDocument},
      {WithBody(std::string("MM\0*", 4)), "image/tiff", EvidenceKind::kDocument},
      {WithBody("%PDF-1.7\n"), "application/pdf", EvidenceKind::kDocument},
      {WithBody(iso + "isom"), "video/mp4", EvidenceKind::kVideo},
      {WithBody(iso + "qt  "), "video/quicktime", EvidenceKind::kVideo},
      {WithBody(iso + "M4A "), "audio/mp4", EvidenceKind::kAudio},
      {WithBody("\x1A\x45\xDF\xA3\x9F\x42\x82\x84webm"), "video/webm", EvidenceKind::kVideo},
      {WithBody("\x1A\x45\xDF\xA3\x9F\x42\x82\x88matroska"), "video/x-matroska",
       EvidenceKind::kVideo},
      {WithBody("ID3\x04"), "audio/mpeg", EvidenceKind::kAudio},
      {WithBody("\xFF\xFB\x90\x64"), "audio/mpeg", EvidenceKind::kAudio},
      {WithBody("OggS"), "audio/ogg", EvidenceKind::kAudio},
      {WithBody(Lit("RIFF\x24\0\0\0WAVEfmt ")), "audio/wav", EvidenceKind::kAudio},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.type);
    ASSERT_OK_AND_ASSIGN(MediaType type, DetectMediaType(test.head));
    EXPECT_EQ(type.name, test.type);
    EXPECT_EQ(type.kind, test.kind);
  }
}

TEST(DetectMediaTypeTest, RefusesEverythingElse) {
  for (std::string head :
       {std::string(), std::string("hello, this is text"), std::string("<html><body>"),
        std::string("PK\x03\x04zipfile"), std::string("MZ\x90\0executable", 14),
        std::string("\xFF\xD8"), std::string("RIFF\x10\0\0\0AVI LIST", 16),
        std::string("\xFF\xFF\xFF\xFF")}) {
    auto detected = DetectMediaType(head);
    EXPECT_THAT(detected, StatusIs(StatusCode::kInvalidArgument)) << head;
    EXPECT_EQ(detected.status().field(), "file");
  }
}

TEST(EvidenceJsonTest, RoundTrips) {
  Evidence evidence;
  evidence.id = 3;
  evidence.person_id = 5;
  evidence.testimony_id = 7;
  evidence.kind = EvidenceKind::kAudio;
  evidence.media_type = "audio/mpeg";
  evidence.original_name = "call.mp3";
  evidence.size = 1234;
  evidence.sha256 = std::string(64, 'a');
  evidence.blob = "ab/" + std::string(30, 'c');
  evidence.created_at = "2026-01-02T03:04:05Z";
  evidence.added_by = "cli:alice";
  evidence.note = "n";
  evidence.privacy = Privacy::kPrivate;
  nlohmann::json json = ToJson(evidence);
  EXPECT_EQ(json["id"], "V-000003");
  EXPECT_EQ(json["person"], "P-000005");
  ASSERT_OK_AND_ASSIGN(Evidence back, EvidenceFromJson(json));
  EXPECT_EQ(back, evidence);
  json["size"] = "big";
  EXPECT_THAT(EvidenceFromJson(json), StatusIs(StatusCode::kInvalidArgument));
}

class EvidenceUseCaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore(dir_.File("izde.db"), {.create = true});
    ASSERT_OK(opened);
    store_ = std::move(opened).value();
    registry_ = std::make_unique<Registry>(*store_, Gazetteer::Xinjiang());
    const std::string key = store::DefaultVaultKeyPath(dir_.File("izde.db"));
    ASSERT_OK(store::CreateVaultKey(key));
    options_ = {.dir = store::DefaultVaultDir(dir_.File("izde.db")), .key_path = key};
    auto vault = store::Vault::Open(options_);
    ASSERT_OK(vault);
    vault_ = std::move(vault).value();
    person_ = registry_->AddPerson(::izde::testing::SamplePerson("p1"), actor_).value();
  }

  Result<Evidence> Add(const std::string& content, EvidenceDraft draft) {
    std::istringstream in(content);
    return AddEvidence(*registry_, *vault_, std::move(draft), in, actor_);
  }

  size_t VaultFiles() {
    if (!fs::exists(options_.dir)) return 0;
    size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(options_.dir)) {
      if (entry.is_regular_file()) ++count;
    }
    return count;
  }

  ::izde::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Registry> registry_;
  store::VaultOptions options_;
  std::unique_ptr<store::Vault> vault_;
  Person person_;
  Actor actor_{"cli:alice"};
};

TEST_F(EvidenceUseCaseTest, AddsReadsBackAndAudits) {
  const std::string content = WithBody("%PDF-1.4\n", 150'000);
  ASSERT_OK_AND_ASSIGN(Evidence added,
                       Add(content, {.person_id = person_.id,
                                     .original_name = "photo.jpg",  // a misleading name
                                     .note = "ID card"}));
  EXPECT_EQ(added.public_id(), "V-000001");
  EXPECT_EQ(added.media_type, "application/pdf");  // from the content, not the name
  EXPECT_EQ(added.kind, EvidenceKind::kDocument);
  EXPECT_EQ(added.size, 150'000);
  EXPECT_EQ(added.original_name, "photo.jpg");
  EXPECT_EQ(added.added_by, "cli:alice");
  EXPECT_FALSE(added.created_at.empty());
  ASSERT_OK_AND_ASSIGN(Evidence stored, store_->GetEvidence(added.id));
  EXPECT_EQ(stored, added);

  std::ostringstream out;
  ASSERT_OK(ReadEvidence(*registry_, *vault_, added.id, out));
  EXPECT_TRUE(out.str() == content);

  ASSERT_OK_AND_ASSIGN(auto history, registry_->History("V-000001"));
  ASSERT_THAT(history, SizeIs(1));
  EXPECT_EQ(history[0].action, "evidence.create");
  EXPECT_EQ(history[0].actor, "cli:alice");
  EXPECT_EQ(history[0].person, person_.public_id());
  ASSERT_OK_AND_ASSIGN(Evidence from_audit,
                       EvidenceFromJson(nlohmann::json::parse(history[0].after)));
  EXPECT_EQ(from_audit, added);
  // The person's history shows it too.
  ASSERT_OK_AND_ASSIGN(auto person_history, registry_->History(person_.public_id()));
  EXPECT_EQ(person_history.back().entity, "V-000001");
}

TEST_F(EvidenceUseCaseTest, ListsThePersonsEvidenceAndThatOfTestimoniesAboutThem) {
  Testimony testimony;
  testimony.mentions = {{person_.id, "son"}};
  testimony = registry_->RecordTestimony(testimony, actor_).value();
  Person other = registry_->AddPerson(::izde::testing::SamplePerson("p2"), actor_).value();
  ASSERT_OK(Add(WithBody("GIF89a"), {.person_id = person_.id}));
  ASSERT_OK(Add(WithBody("OggS"), {.testimony_id = testimony.id}));
  ASSERT_OK(Add(WithBody("GIF89a"), {.person_id = other.id}));
  ASSERT_OK_AND_ASSIGN(auto items, EvidenceOfPerson(*registry_, person_.id));
  ASSERT_THAT(items, SizeIs(2));
  EXPECT_EQ(items[0].person_id, person_.id);
  EXPECT_EQ(items[1].testimony_id, testimony.id);
  EXPECT_EQ(items[1].kind, EvidenceKind::kAudio);
  EXPECT_THAT(EvidenceOfPerson(*registry_, 999), StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(store_->CountEvidence().value(), 3);
}

TEST_F(EvidenceUseCaseTest, RefusesBadInputAndLeavesNothingBehind) {
  EXPECT_THAT(Add(WithBody("GIF89a"), {}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Add(WithBody("GIF89a"), {.person_id = 999}), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Add(WithBody("GIF89a"), {.testimony_id = 5}), StatusIs(StatusCode::kNotFound));
  auto text =
      Add("just some text, named scan.pdf", {.person_id = person_.id, .original_name = "scan.pdf"});
  EXPECT_THAT(text, StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a type")));
  EXPECT_THAT(Add("", {.person_id = person_.id}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(VaultFiles(), 0u);
  EXPECT_EQ(store_->CountEvidence().value(), 0);
  ASSERT_OK_AND_ASSIGN(auto history, registry_->History(person_.public_id()));
  EXPECT_THAT(history, SizeIs(1));  // only the person's creation
}

TEST_F(EvidenceUseCaseTest, OverTheSizeLimitNothingIsStored) {
  options_.max_bytes = 100'000;
  ASSERT_OK_AND_ASSIGN(vault_, store::Vault::Open(options_));
  auto big = Add(WithBody("\xFF\xD8\xFF\xE0", 100'001), {.person_id = person_.id});
  EXPECT_THAT(big, StatusIs(StatusCode::kResourceExhausted));
  EXPECT_EQ(big.status().field(), "file");
  EXPECT_EQ(VaultFiles(), 0u);
  EXPECT_EQ(store_->CountEvidence().value(), 0);
  EXPECT_OK(Add(WithBody("\xFF\xD8\xFF\xE0", 100'000), {.person_id = person_.id}));
}

TEST_F(EvidenceUseCaseTest, AReplacedVaultFileIsDataLoss) {
  ASSERT_OK_AND_ASSIGN(Evidence first, Add(WithBody("GIF89a", 5000), {.person_id = person_.id}));
  ASSERT_OK_AND_ASSIGN(Evidence second, Add(WithBody("GIF87a", 5000), {.person_id = person_.id}));
  fs::copy_file(vault_->PathOf(second.blob).value(), vault_->PathOf(first.blob).value(),
                fs::copy_options::overwrite_existing);
  std::ostringstream out;
  EXPECT_THAT(ReadEvidence(*registry_, *vault_, first.id, out), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(ReadEvidence(*registry_, *vault_, 99, out), StatusIs(StatusCode::kNotFound));
}

}  // namespace
}  // namespace izde::registry
