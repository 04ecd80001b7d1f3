#include "samspil/error.hpp"

namespace samspil {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidRequest:
      return "invalid_request";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kVersionConflict:
      return "version_conflict";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kGuardFailed:
      return "guard_failed";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kInvalidDefinition:
      return "invalid_definition";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kUnavailable:
      return "unavailable";
  }
  return "internal";
}

}  // namespace samspil
