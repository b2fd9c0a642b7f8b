#include "http/name_forms.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "names/analyze.h"
#include "names/chinese_variants.h"
#include "names/script.h"
#include "names/transliterate.h"

namespace izde::http {
namespace {

using nlohmann::json;

names::Script ScriptOf(std::string_view text) {
  Result<names::Script> script = names::DetectScript(text);
  return script.ok() ? *script : names::Script::kUnknown;
}

// The first stored name that is not in Han characters: the source of generated forms.
std::optional<std::string> FirstNonHan(const registry::Person& person) {
  for (const registry::PersonName& name : person.names) {
    names::Script script = ScriptOf(name.text);
    if (script != names::Script::kHan && script != names::Script::kUnknown) return name.text;
  }
  return std::nullopt;
}

std::optional<std::string> FirstLatinReading(const registry::Person& person) {
  for (const registry::PersonName& name : person.names) {
    if (ScriptOf(name.text) == names::Script::kLatin) return name.text;
  }
  if (person.names.empty()) return std::nullopt;
  Result<std::vector<names::LatinForm>> forms = names::LatinForms(person.names.front().text, 1);
  if (!forms.ok() || forms->empty() || forms->front().text.empty()) return std::nullopt;
  return forms->front().text;
}

// A form of the person's names generated in `wanted` (Han: the best Chinese variant; Latin:
// the first Latin reading; Arabic: its Uyghur Arabic spelling); none when nothing fits. Reads
// only the texts of the person's names.
std::optional<std::string> GeneratedForm(const registry::Person& person, names::Script wanted) {
  switch (wanted) {
    case names::Script::kHan: {
      json generated = GeneratedChineseNames(person, 1);
      if (!generated.empty()) return generated[0]["text"].get<std::string>();
      break;
    }
    case names::Script::kLatin:
      return FirstLatinReading(person);
    case names::Script::kArabic: {
      std::optional<std::string> latin = FirstLatinReading(person);
      if (!latin) break;
      Result<std::string> arabic =
          names::Transliterate(*latin, names::Transform::kUyghurLatinToArabic);
      if (arabic.ok() && ScriptOf(*arabic) == names::Script::kArabic) return *arabic;
      break;
    }
    case names::Script::kUnknown:
    case names::Script::kCyrillic:  // no Latin-to-Cyrillic transform: the primary name stands
    case names::Script::kMixed:
      break;
  }
  return std::nullopt;
}

// A cache key: `what` was asked, then each name's text with its length (what the generated
// forms read of the person, and nothing else).
std::string NamesKey(char what, const registry::Person& person) {
  std::string key(1, what);
  for (const registry::PersonName& name : person.names) {
    const auto length = static_cast<uint32_t>(name.text.size());
    key.append(reinterpret_cast<const char*>(&length), sizeof(length));
    key.append(name.text);
  }
  return key;
}

}  // namespace

names::Script QueryScript(std::string_view query) { return ScriptOf(query); }

NameForm NameFormInQueryScript(const registry::Person& person, std::string_view query,
                               const std::string& matched_name, GeneratedFormCache* cache) {
  return NameFormInScript(person, ScriptOf(query), matched_name, cache);
}

NameForm NameFormInScript(const registry::Person& person, names::Script wanted,
                          const std::string& matched_name, GeneratedFormCache* cache) {
  std::string primary = person.display_name();
  std::string fallback = matched_name.empty() ? primary : matched_name;
  if (wanted == names::Script::kUnknown || wanted == names::Script::kMixed) {
    return {fallback, ScriptOf(fallback), false};
  }
  if (!matched_name.empty() && ScriptOf(matched_name) == wanted) {
    return {matched_name, wanted, false};
  }
  for (const registry::PersonName& name : person.names) {
    if (ScriptOf(name.text) == wanted) return {name.text, wanted, false};
  }
  std::optional<std::string> generated;
  if (cache == nullptr) {
    generated = GeneratedForm(person, wanted);
  } else {
    generated = cache->Get(NamesKey(static_cast<char>(wanted), person),
                           [&] { return GeneratedForm(person, wanted); });
  }
  if (generated) return {*generated, wanted, true};
  return {primary, ScriptOf(primary), false};
}

json NameInQueryScript(const registry::Person& person, std::string_view query,
                       const std::string& matched_name, GeneratedFormCache* cache) {
  NameForm form = NameFormInQueryScript(person, query, matched_name, cache);
  return {{"text", std::move(form.text)},
          {"script", std::string(names::ScriptName(form.script))},
          {"generated", form.generated}};
}

json GeneratedChineseNames(const registry::Person& person, size_t max_variants,
                           GeneratedNamesCache* cache) {
  if (cache != nullptr) {
    // The names (self-delimiting), then how many variants were asked for.
    std::string key = NamesKey('c', person);
    key.append(reinterpret_cast<const char*>(&max_variants), sizeof(max_variants));
    return cache->Get(key, [&] { return GeneratedChineseNames(person, max_variants); });
  }
  json out = json::array();
  for (const registry::PersonName& name : person.names) {
    if (ScriptOf(name.text) == names::Script::kHan) return out;  // a real one is on record
  }
  std::optional<std::string> source = FirstNonHan(person);
  if (!source) return out;
  Result<names::NameAnalysis> analysis = names::AnalyzeName(*source);
  if (!analysis.ok()) return out;
  for (const names::ChineseVariant& variant : names::ChineseVariants(*analysis, max_variants)) {
    out.push_back({{"text", variant.text}, {"score", variant.score}, {"from", *source}});
  }
  return out;
}

}  // namespace izde::http
