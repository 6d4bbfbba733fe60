// Errors as values. No exception crosses Laurel's public API: Emscripten aborts on a throw unless
// exception support is compiled in, and a value in the signature makes failure impossible to miss.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace laurel {

enum class ErrorCode {
  Invalid,           // the input broke a rule; `field` names it
  NotFound,          // no entity with that id
  PermissionDenied,  // the caller may not do this
  Conflict,          // the operation would break an invariant (e.g. delete a used badge class)
  Storage,           // LMDB or the file system failed; retrying may help
  Crypto,            // a key or signature operation failed
  Cancelled,         // a progress callback asked to stop; nothing was written
  Internal,          // a bug in Laurel
};

/// The name of a code as used on every face ("Invalid", "NotFound", ...).
const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string field;  // dotted path of the offending input field, empty if none
  std::string message;

  bool operator==(const Error&) const = default;
};

inline Error invalid(std::string field, std::string message) {
  return Error{ErrorCode::Invalid, std::move(field), std::move(message)};
}
inline Error not_found(std::string field, std::string message) {
  return Error{ErrorCode::NotFound, std::move(field), std::move(message)};
}
inline Error conflict(std::string field, std::string message) {
  return Error{ErrorCode::Conflict, std::move(field), std::move(message)};
}

/// Either a value or an Error. Check `ok()` before `value()`.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> state_;
};

/// Success with no value, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace laurel

// Propagate an error from an expression returning Status or Result<T>.
#define LAUREL_TRY(expr)                              \
  do {                                                \
    auto laurel_try_result_ = (expr);                 \
    if (!laurel_try_result_.ok()) return laurel_try_result_.error(); \
  } while (0)
