#include "registry/event.h"

#include <algorithm>
#include <array>

#include "registry/internal/enum_names.h"

namespace izde::registry {
namespace {

constexpr std::array<std::pair<std::string_view, EventType>, kEventTypeCount> kEventTypes = {{
    {"last_contact", EventType::kLastContact},
    {"detained", EventType::kDetained},
    {"camp", EventType::kCamp},
    {"prison", EventType::kPrison},
    {"sentenced", EventType::kSentenced},
    {"released", EventType::kReleased},
    {"house_arrest", EventType::kHouseArrest},
    {"passport_confiscated", EventType::kPassportConfiscated},
    {"permitted_to_leave", EventType::kPermittedToLeave},
    {"left_china", EventType::kLeftChina},
    {"arrived_abroad", EventType::kArrivedAbroad},
    {"citizenship_applied", EventType::kCitizenshipApplied},
    {"citizenship_granted", EventType::kCitizenshipGranted},
    {"deceased", EventType::kDeceased},
    {"other", EventType::kOther},
}};

}  // namespace

std::string_view EventTypeName(EventType type) {
  return kEventTypes[static_cast<size_t>(type)].first;
}

Result<EventType> ParseEventType(std::string_view text) {
  return internal::ParseEnum<EventType>(
      text, kEventTypes, "type",
      "last_contact, detained, camp, prison, sentenced, released, house_arrest, "
      "passport_confiscated, permitted_to_leave, left_china, arrived_abroad, "
      "citizenship_applied, citizenship_granted, deceased, other");
}

const std::vector<EventType>& AllEventTypes() {
  static const std::vector<EventType> kAll = [] {
    std::vector<EventType> all;
    for (const auto& entry : kEventTypes) all.push_back(entry.second);
    return all;
  }();
  return kAll;
}

EventType CurrentStatus(std::vector<Event> events, bool* known) {
  // An undated event is placed right after the latest of the events recorded before it.
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.id < b.id; });
  std::vector<std::pair<int64_t, const Event*>> placed;
  placed.reserve(events.size());
  int64_t latest_so_far = INT64_MIN;
  for (const Event& event : events) {
    int64_t day = event.date.unknown() ? latest_so_far : event.date.LatestDay();
    latest_so_far = std::max(latest_so_far, day);
    placed.emplace_back(day, &event);
  }
  std::stable_sort(placed.begin(), placed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto it = placed.rbegin(); it != placed.rend(); ++it) {
    if (it->second->type != EventType::kOther) {
      if (known != nullptr) *known = true;
      return it->second->type;
    }
  }
  if (known != nullptr) *known = false;
  return EventType::kOther;
}

std::string CurrentStatusName(const std::vector<Event>& events) {
  bool known = false;
  EventType status = CurrentStatus(events, &known);
  return known ? std::string(EventTypeName(status)) : std::string("unknown");
}

}  // namespace izde::registry
