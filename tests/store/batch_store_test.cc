// Store::GetPersons (a page of search results in one read), on every backend.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "registry/store.h"
#include "store/open.h"
#include "store_backends.h"
#include "testing/fixtures.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::store {
namespace {

using registry::Person;

class BatchStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    location_ = NewStoreLocation(GetParam(), dir_, "batch.db");
    ASSERT_FALSE(location_.empty());
    auto opened = OpenStore(location_, {.create = true});
    ASSERT_OK(opened);
    store_ = std::move(opened).value();
  }

  ::izde::testing::TempDir dir_;
  std::string location_;
  std::unique_ptr<registry::Store> store_;
};

TEST_P(BatchStoreTest, ReadsWhatGetPersonReadsInTheOrderAsked) {
  // 300 persons: more than one batch of 256 ids. Each has its own names (and one none), so
  // that a name given to the wrong person, or lost, shows.
  std::vector<int64_t> ids;
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    for (int person_idx = 0; person_idx < 300; ++person_idx) {
      Person person = ::izde::testing::SamplePerson("batch-" + std::to_string(person_idx));
      for (registry::PersonName& name : person.names) {
        name.text += " " + std::to_string(person_idx);
      }
      if (person_idx % 7 == 0) person.names.pop_back();
      if (person_idx == 150) person.names.clear();
      person.occupation = "occupation " + std::to_string(person_idx);
      ASSERT_OK_AND_ASSIGN(int64_t id, txn->InsertPerson(person));
      ids.push_back(id);
    }
    ASSERT_OK(txn->Commit());
  }
  // Asked backwards, with an id that does not exist and one id twice.
  std::vector<int64_t> asked(ids.rbegin(), ids.rend());
  asked.insert(asked.begin() + 10, ids.back() + 1000);
  asked.push_back(ids[5]);
  ASSERT_OK_AND_ASSIGN(std::vector<Person> persons, store_->GetPersons(asked));
  ASSERT_EQ(persons.size(), ids.size() + 1);
  size_t read_idx = 0;
  for (int64_t id : asked) {
    if (id == ids.back() + 1000) continue;
    ASSERT_OK_AND_ASSIGN(Person one, store_->GetPerson(id));
    EXPECT_EQ(persons[read_idx], one) << "person " << id;
    ++read_idx;
  }
  // ids[150] is asked at 149 of the reversed list (after the missing id, which is skipped).
  EXPECT_EQ(persons[ids.size() - 1 - 150].id, ids[150]);
  EXPECT_TRUE(persons[ids.size() - 1 - 150].names.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<Person> none, store_->GetPersons({}));
  EXPECT_TRUE(none.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<Person> missing, store_->GetPersons({ids.back() + 1}));
  EXPECT_TRUE(missing.empty());
}

INSTANTIATE_STORE_BACKENDS(BatchStoreTest);

}  // namespace
}  // namespace izde::store
