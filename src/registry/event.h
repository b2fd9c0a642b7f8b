#ifndef IZDE_REGISTRY_EVENT_H_
#define IZDE_REGISTRY_EVENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/partial_date.h"
#include "core/result.h"

namespace izde::registry {

// A dated change in what happened to a person, as testified or documented.
enum class EventType : uint8_t {
  kLastContact,
  kDetained,
  kCamp,
  kPrison,
  kSentenced,
  kReleased,
  kHouseArrest,
  kPassportConfiscated,
  kPermittedToLeave,
  kLeftChina,
  kArrivedAbroad,
  kCitizenshipApplied,
  kCitizenshipGranted,
  kDeceased,
  kOther,
};
inline constexpr int kEventTypeCount = 15;

// "last_contact", "detained", ..., "other".
std::string_view EventTypeName(EventType type);
// Accepts the names above, with spaces or dashes for underscores, any case.
Result<EventType> ParseEventType(std::string_view text);
const std::vector<EventType>& AllEventTypes();

struct Event {
  int64_t id = 0;
  int64_t person_id = 0;
  EventType type = EventType::kOther;
  PartialDate date;
  std::string place_code;              // admin division code, if resolved
  std::string place_text;              // place or facility as given
  int64_t source_testimony_id = 0;     // 0 if none
  std::string source;                  // a document, a URL, "import"
  std::string note;
  int64_t version = 0;
  std::string created_at;

  std::string public_id() const { return FormatId(IdKind::kEvent, id); }
  friend bool operator==(const Event&, const Event&) = default;
};

// The current status of a person, derived from its events and never stored.
// It is the type of the latest event that carries a status (kOther carries none);
// kUnknown when there is none. Events with an unknown date count as happening right after
// the events recorded before them (by id), so an undated "released" recorded after a dated
// "detained" wins, and a later dated event wins over both.
EventType CurrentStatus(std::vector<Event> events, bool* known);

// Statuses as shown: the event type name, or "unknown".
std::string CurrentStatusName(const std::vector<Event>& events);

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_EVENT_H_
