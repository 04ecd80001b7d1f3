// The one mapping from the error vocabulary to HTTP (docs/api.md §3), and the error body.
#include "json_codec.hpp"
#include "samspil/text.hpp"
#include "samspil/web/api.hpp"

namespace samspil {

// No default: a new ErrorCode must be given its status here (-Werror=switch).
int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidRequest: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kVersionConflict: return 409;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kGuardFailed: return 422;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kInvalidDefinition: return 500;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kUnavailable: return 503;
  }
  return 500;  // not a valid ErrorCode
}

ApiResponse ErrorResponse(const Error& error) {
  // Internal details stay in the log; a client learns only that it was not its fault.
  const bool internal = HttpStatusOf(error.code) == 500;
  const bool unavailable = error.code == ErrorCode::kUnavailable;
  const std::string code = internal ? "internal" : ErrorCodeName(error.code);
  // A message may quote the request (a method, a field name): never an invalid byte of it.
  const std::string message = internal      ? "internal error"
                              : unavailable ? "the database is unavailable; try again shortly"
                                            : ToValidUtf8(error.message);
  // A guard's refusal starts with the guard's name ("age_between: ..."): give it to clients
  // as data, so the UI can explain the rule in Danish.
  std::string rule;
  if (error.code == ErrorCode::kGuardFailed) {
    const auto colon = error.message.find(':');
    if (colon != std::string::npos && colon > 0) rule = error.message.substr(0, colon);
  }
  ApiResponse r;
  r.status = HttpStatusOf(error.code);
  r.body = ErrorJson(code, message, rule);
  if (error.code == ErrorCode::kUnauthenticated) {
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"samspil\"");  // RFC 6750
  }
  return r;
}

}  // namespace samspil
