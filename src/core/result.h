#ifndef IZDE_CORE_RESULT_H_
#define IZDE_CORE_RESULT_H_

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>

#include "core/status.h"

namespace izde {

// A value of T or a non-ok Status (Abseil's StatusOr, C++20 has no std::expected).
// Accessing the value of an error Result is a bug: it asserts in debug builds.
template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose, so that `return value;` and `return status;` both work.
  Result(const T& value) : value_(value) {}                            // NOLINT
  Result(T&& value) : value_(std::move(value)) {}                      // NOLINT
  Result(Status status) : status_(std::move(status)) {                 // NOLINT
    assert(!status_.ok() && "Result constructed from an ok Status");
    if (status_.ok()) status_ = InternalError("Result constructed from an ok Status");
  }
  template <typename U>
    requires(std::is_convertible_v<U&&, T> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Status>)
  Result(U&& value) : value_(std::forward<U>(value)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  T value_or(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace izde

// Declares `lhs` from a Result expression, or returns its Status from the enclosing function.
#define IZDE_ASSIGN_OR_RETURN(lhs, expr) \
  IZDE_ASSIGN_OR_RETURN_IMPL_(IZDE_STATUS_CONCAT_(izde_result_, __LINE__), lhs, expr)
#define IZDE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()

#endif  // IZDE_CORE_RESULT_H_
