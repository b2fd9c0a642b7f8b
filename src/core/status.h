#ifndef IZDE_CORE_STATUS_H_
#define IZDE_CORE_STATUS_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace izde {

// The one error vocabulary of izde. Each layer returns these; `http/` maps them to HTTP
// statuses in a single switch, so adding a code here must be followed there.
enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong (bad date, bad UTF-8, unknown column)
  kNotFound,            // the named thing does not exist
  kAlreadyExists,       // a unique thing would be created twice
  kFailedPrecondition,  // the system is not in a state that allows this (schema too new)
  kAborted,             // a conflicting concurrent change (optimistic version check)
  kPermissionDenied,    // the caller may not do this
  kUnauthenticated,     // the caller is not known
  kResourceExhausted,   // a limit was reached (body too large, rate limit)
  kUnavailable,         // a dependency is down (database locked, server gone); may retry
  kDataLoss,            // stored data is corrupt or was tampered with
  kInternal,            // a bug or an unexpected failure of a library
};

std::string_view StatusCodeName(StatusCode code);

// A code and a message; cheap to copy when ok. `field` names the input field at fault,
// when there is one ("birth_date"), so that callers can point at it.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }

  // "invalid_argument: field 'birth_date': month 13 out of range"
  std::string ToString() const;

  // Returns a copy whose message starts with `context` ("line 17: ...").
  Status WithContext(std::string_view context) const;

  // Marks the status as looked at, for the rare caller that really ignores it.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_ && a.field_ == b.field_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgumentError(std::string msg, std::string field = {}) {
  return Status(StatusCode::kInvalidArgument, std::move(msg), std::move(field));
}
inline Status NotFoundError(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
inline Status AlreadyExistsError(std::string msg) {
  return Status(StatusCode::kAlreadyExists, std::move(msg));
}
inline Status FailedPreconditionError(std::string msg) {
  return Status(StatusCode::kFailedPrecondition, std::move(msg));
}
inline Status AbortedError(std::string msg) { return Status(StatusCode::kAborted, std::move(msg)); }
inline Status PermissionDeniedError(std::string msg) {
  return Status(StatusCode::kPermissionDenied, std::move(msg));
}
inline Status UnavailableError(std::string msg) {
  return Status(StatusCode::kUnavailable, std::move(msg));
}
inline Status DataLossError(std::string msg) { return Status(StatusCode::kDataLoss, std::move(msg)); }
inline Status InternalError(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

std::ostream& operator<<(std::ostream& os, const Status& status);

}  // namespace izde

#define IZDE_STATUS_CONCAT_INNER_(a, b) a##b
#define IZDE_STATUS_CONCAT_(a, b) IZDE_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` (a Status) is not ok.
#define IZDE_RETURN_IF_ERROR(expr)                                        \
  do {                                                                    \
    ::izde::Status izde_status_ = (expr);                                 \
    if (!izde_status_.ok()) return izde_status_;                          \
  } while (false)

#endif  // IZDE_CORE_STATUS_H_
