// Field values (samspil::Data) to and from JSON text, with Poco::JSON. The one
// implementation for the loader, the store and the REST API; its own target
// (samspil_json_data, Poco::JSON public) because this header names Poco types.
#pragma once

#include <string>

#include <Poco/JSON/Object.h>

#include "samspil/error.hpp"
#include "samspil/value.hpp"

namespace Poco::Dynamic {
class Var;
}

namespace samspil {

// A JSON value as a field value: null, bool, number, string or list of strings.
// Anything else (an object, a mixed list) is kInvalidRequest naming `path`.
Result<Value> ValueFromJson(const Poco::Dynamic::Var& var, const std::string& path);

// A JSON object as Data; kInvalidRequest for anything that is not an object of values.
Result<Data> DataFromJson(const Poco::Dynamic::Var& var, const std::string& path);
Result<Data> DataFromJsonText(const std::string& text);

// Compact JSON with keys in order; strings escaped as UTF-8.
std::string DataToJsonText(const Data& data);
std::string ValueToJsonText(const Value& value);
// The same as an object to put into a response (keys in order).
Poco::JSON::Object::Ptr DataToJson(const Data& data);

}  // namespace samspil
