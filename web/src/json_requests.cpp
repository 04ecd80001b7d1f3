// Request bodies and query strings to commands (json_codec.hpp).
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "json_codec.hpp"
#include "samspil/adapters/json_data.hpp"
#include "samspil/text.hpp"

namespace samspil {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

Error Invalid(const std::string& message) { return MakeError(ErrorCode::kInvalidRequest, message); }

// The request body as a JSON object; 400 naming the problem otherwise.
Result<Object::Ptr> BodyObject(const std::string& body) {
  // Checked before parsing: Poco's parser passes such bytes into strings, which would be
  // stored and break every later answer that contains them.
  if (!IsValidUtf8(body)) return Invalid("the body is not UTF-8 text");
  Var parsed;
  try {
    Poco::JSON::Parser parser;
    parsed = parser.parse(body);
  } catch (const Poco::Exception&) {
    return Invalid("the body is not valid JSON");
  }
  if (parsed.type() != typeid(Object::Ptr)) return Invalid("the body must be a JSON object");
  return parsed.extract<Object::Ptr>();
}

Result<std::string> RequiredString(const Object::Ptr& obj, const std::string& path,
                                   const std::string& key) {
  if (!obj->has(key) || obj->get(key).isEmpty()) return Invalid("missing field \"" + path + "\"");
  Var v = obj->get(key);
  if (!v.isString()) return Invalid("field \"" + path + "\" must be a string");
  return v.extract<std::string>();
}

Result<std::string> OptionalString(const Object::Ptr& obj, const std::string& path,
                                   const std::string& key) {
  if (!obj->has(key) || obj->get(key).isEmpty()) return std::string();
  Var v = obj->get(key);
  if (!v.isString()) return Invalid("field \"" + path + "\" must be a string");
  return v.extract<std::string>();
}

// The version a change was based on (optimistic locking); every change must send it. Only a
// JSON integer from 1 to 2^53 (what every JSON implementation holds exactly): the parser
// gives numbers from 2^63 on as unsigned and wraps those past 2^64 (2^64 + 2 would be 2),
// `true` and 2.0 would convert, so anything but a signed integer in range is refused.
Result<std::int64_t> ExpectedVersion(const Object::Ptr& obj) {
  constexpr std::int64_t kMaxVersion = std::int64_t{1} << 53;
  const Error invalid = Invalid("field \"expected_version\" must be a whole number from 1 to 2^53");
  if (!obj->has("expected_version")) return invalid;
  const Var v = obj->get("expected_version");
  if (v.type() != typeid(Poco::Int64)) return invalid;
  const std::int64_t version = v.extract<Poco::Int64>();
  if (version < 1 || version > kMaxVersion) return invalid;
  return version;
}

Result<Data> OptionalData(const Object::Ptr& obj) {
  if (!obj->has("data") || obj->get("data").isEmpty()) return Data{};
  return DataFromJson(obj->get("data"), "data");
}

Result<bool> BoolParam(const std::map<std::string, std::string>& query, const std::string& key) {
  auto it = query.find(key);
  if (it == query.end()) return false;
  if (it->second == "true") return true;
  if (it->second == "false") return false;
  return Invalid("query parameter \"" + key + "\" must be true or false");
}

}  // namespace

Result<LoginRequest> LoginRequestFromJson(const std::string& body) {
  auto obj = BodyObject(body);
  if (!obj) return obj.error();
  auto username = RequiredString(*obj, "username", "username");
  if (!username) return username.error();
  auto password = RequiredString(*obj, "password", "password");
  if (!password) return password.error();
  return LoginRequest{std::move(*username), std::move(*password)};
}

Result<OpenCaseRequest> OpenCaseRequestFromJson(const std::string& body) {
  auto obj = BodyObject(body);
  if (!obj) return obj.error();
  auto forum_id = RequiredString(*obj, "forum_id", "forum_id");
  if (!forum_id) return forum_id.error();
  if (!(*obj)->has("subject") || (*obj)->get("subject").type() != typeid(Object::Ptr)) {
    return Invalid("field \"subject\" must be an object with name and birth_date");
  }
  Object::Ptr subject = (*obj)->getObject("subject");
  auto name = RequiredString(subject, "subject.name", "name");
  if (!name) return name.error();
  auto birth_text = RequiredString(subject, "subject.birth_date", "birth_date");
  if (!birth_text) return birth_text.error();
  auto birth = ParseDate(*birth_text);
  if (!birth) return Invalid("field \"subject.birth_date\" must be YYYY-MM-DD");
  auto summary = RequiredString(*obj, "summary", "summary");
  if (!summary) return summary.error();
  auto data = OptionalData(*obj);
  if (!data) return data.error();
  return OpenCaseRequest{std::move(*forum_id),
                         OpenCommand{Subject{*name, *birth}, *summary, std::move(*data)}};
}

Result<TransitionCommand> TransitionCommandFromJson(const std::string& body) {
  auto obj = BodyObject(body);
  if (!obj) return obj.error();
  auto action = RequiredString(*obj, "action", "action");
  if (!action) return action.error();
  auto expected_version = ExpectedVersion(*obj);
  if (!expected_version) return expected_version.error();
  auto comment = OptionalString(*obj, "comment", "comment");
  if (!comment) return comment.error();
  auto data = OptionalData(*obj);
  if (!data) return data.error();
  return TransitionCommand{*action, *expected_version, *comment, std::move(*data)};
}

Result<ReopenCommand> ReopenCommandFromJson(const std::string& body) {
  auto obj = BodyObject(body);
  if (!obj) return obj.error();
  auto expected_version = ExpectedVersion(*obj);
  if (!expected_version) return expected_version.error();
  auto reason = RequiredString(*obj, "reason", "reason");
  if (!reason) return reason.error();
  return ReopenCommand{*expected_version, *reason};
}

Result<CaseFilter> CaseFilterFromQuery(const std::map<std::string, std::string>& query,
                                       Timestamp now) {
  CaseFilter filter;
  if (auto it = query.find("forum_id"); it != query.end() && !it->second.empty()) {
    filter.forum_id = it->second;
  }
  if (auto it = query.find("state"); it != query.end() && !it->second.empty()) {
    filter.state = it->second;
  }
  auto overdue = BoolParam(query, "overdue");
  if (!overdue) return overdue.error();
  auto escalated = BoolParam(query, "escalated");
  if (!escalated) return escalated.error();
  filter.only_overdue = *overdue;
  filter.only_escalated = *escalated;
  filter.now = now;
  if (auto it = query.find("limit"); it != query.end()) {
    size_t used = 0;
    int limit = 0;
    try {
      limit = std::stoi(it->second, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != it->second.size() || limit < 1 || limit > 500) {
      return Invalid("query parameter \"limit\" must be a number from 1 to 500");
    }
    filter.limit = static_cast<size_t>(limit);
  }
  if (auto it = query.find("cursor"); it != query.end()) filter.after_id = it->second;
  return filter;
}

}  // namespace samspil
