#include "registry/index_record.h"

namespace izde::registry {

match::Gender MatchGender(Gender gender) {
  switch (gender) {
    case Gender::kUnknown:
      return match::Gender::kUnknown;
    case Gender::kMale:
      return match::Gender::kMale;
    case Gender::kFemale:
      return match::Gender::kFemale;
  }
  return match::Gender::kUnknown;
}

match::YearRange YearsOf(const PartialDate& date) {
  if (date.unknown()) return {};
  int widen = date.about() ? 1 : 0;
  return {date.start().year - widen, date.end().year + widen};
}

std::string PlaceCode(const Gazetteer& places, std::string_view text) {
  if (text.empty()) return "";
  const Division* division = places.Find(text);
  if (division == nullptr) division = places.Resolve(text);
  return division != nullptr ? division->code : "";
}

std::string HometownCode(const Gazetteer& places, const Person& person) {
  if (!person.hometown_code.empty()) return person.hometown_code;
  return PlaceCode(places, person.hometown_text);
}

match::IndexRecord IndexRecordOf(const Gazetteer& places, const Person& person) {
  match::IndexRecord record;
  record.id = person.id;
  for (const PersonName& name : person.names) record.names.push_back(name.text);
  record.fields.birth = YearsOf(person.birth_date);
  record.fields.hometown_code = HometownCode(places, person);
  record.fields.gender = MatchGender(person.gender);
  return record;
}

match::Scorer MakeScorer(const Gazetteer& places) {
  return match::Scorer([&places](std::string_view code) {
    const Division* prefecture = places.PrefectureOf(code);
    return prefecture != nullptr ? prefecture->code : std::string();
  });
}

}  // namespace izde::registry
