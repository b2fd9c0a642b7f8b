#include "http/views.h"

#include <nlohmann/json.hpp>

#include "registry/json.h"

namespace izde::http {
namespace {

bool Team(auth::Role role) { return auth::AtLeast(role, auth::Role::kViewer); }

nlohmann::json PublicPerson(const registry::Person& person, std::string_view status) {
  nlohmann::json json = {{"id", person.public_id()},
                         {"name", person.display_name()},
                         {"status", status},
                         {"ethnicity", person.ethnicity}};
  json["birth_year"] = person.birth_date.unknown() ? nlohmann::json(nullptr)
                                                   : nlohmann::json(person.birth_date.start().year);
  return json;
}

}  // namespace

bool PersonVisible(const registry::Person& person, auth::Role role) {
  return Team(role) || person.privacy == registry::Privacy::kPublic;
}

nlohmann::json PersonJson(const registry::PersonRecord& record, auth::Role role) {
  if (!Team(role)) return PublicPerson(record.person, record.status);
  nlohmann::json json;
  json["person"] = registry::ToJson(record.person);
  json["status"] = record.status;
  json["events"] = nlohmann::json::array();
  for (const registry::Event& event : record.events) {
    json["events"].push_back(registry::ToJson(event));
  }
  json["testimonies"] = nlohmann::json::array();
  for (const registry::Testimony& testimony : record.testimonies) {
    json["testimonies"].push_back(TestimonyJson(testimony, role));
  }
  json["relations"] = nlohmann::json::array();
  for (const registry::Relation& relation : record.relations) {
    json["relations"].push_back(registry::ToJson(relation));
  }
  json["warnings"] = record.warnings;
  return json;
}

nlohmann::json PersonSummaryJson(const registry::Person& person, std::string_view status,
                                 auth::Role role) {
  if (!Team(role)) return PublicPerson(person, status);
  nlohmann::json json = PublicPerson(person, status);
  json["birth_date"] = person.birth_date.ToString();
  json["gender"] = registry::GenderName(person.gender);
  json["hometown_code"] = person.hometown_code;
  json["grade"] = registry::GradeName(person.grade);
  json["privacy"] = registry::PrivacyName(person.privacy);
  json["version"] = person.version;
  return json;
}

nlohmann::json TestimonyJson(const registry::Testimony& testimony, auth::Role role) {
  if (!Team(role)) return {{"id", testimony.public_id()}};
  return registry::ToJson(testimony);
}

}  // namespace izde::http
