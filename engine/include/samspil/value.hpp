// Input values of workflow fields and guard parameters, as they arrive from JSON.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace samspil {

// null, true/false, a number, a string or a list of strings: the JSON a workflow or a
// request may carry. Nested objects are refused by the adapters that parse JSON.
using Value = std::variant<std::monostate, bool, double, std::string, std::vector<std::string>>;

// Field values by field name ("data" in the API), ordered for deterministic output.
using Data = std::map<std::string, Value>;

inline const std::string* AsString(const Value& v) { return std::get_if<std::string>(&v); }
inline const bool* AsBool(const Value& v) { return std::get_if<bool>(&v); }
inline const double* AsNumber(const Value& v) { return std::get_if<double>(&v); }
inline const std::vector<std::string>* AsStrings(const Value& v) {
  return std::get_if<std::vector<std::string>>(&v);
}

// "null", "boolean", "number", "string" or "list": for error messages.
const char* ValueKindName(const Value& v);

}  // namespace samspil
