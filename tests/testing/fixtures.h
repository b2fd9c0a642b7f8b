#ifndef IZDE_TESTS_TESTING_FIXTURES_H_
#define IZDE_TESTS_TESTING_FIXTURES_H_

#include <string>

#include "registry/person.h"

namespace izde::testing {

// A person with names in three scripts, as a volunteer would enter one.
inline registry::Person SamplePerson(const std::string& external_id = "") {
  registry::Person person;
  person.external_id = external_id;
  person.names = {
      {"Serikzhan Bilash", names::Script::kUnknown, registry::NamePart::kFull, "test"},
      {"Серікжан Біләш", names::Script::kUnknown, registry::NamePart::kFull, "test"},
      {"赛力克江·比拉什", names::Script::kUnknown, registry::NamePart::kFull, "test"},
  };
  person.gender = registry::Gender::kMale;
  person.birth_date = PartialDate::Of(1974, 4);
  person.ethnicity = "kazakh";
  person.hometown_text = "Somewhere not in any gazetteer";
  person.occupation = "teacher";
  person.privacy = registry::Privacy::kRestricted;
  person.notes = "private note";
  return person;
}

}  // namespace izde::testing

#endif  // IZDE_TESTS_TESTING_FIXTURES_H_
