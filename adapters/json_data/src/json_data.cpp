#include "samspil/adapters/json_data.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cmath>
#include <sstream>

namespace samspil {

Result<Value> ValueFromJson(const Poco::Dynamic::Var& var, const std::string& path) {
  if (var.isEmpty()) return Value{};
  if (var.isBoolean()) return Value{var.extract<bool>()};
  if (var.isString()) return Value{var.extract<std::string>()};
  if (var.isNumeric()) {
    double d = var.convert<double>();
    if (!std::isfinite(d)) return MakeError(ErrorCode::kInvalidRequest, path + ": not a number");
    return Value{d};
  }
  if (var.type() == typeid(Poco::JSON::Array::Ptr)) {
    auto array = var.extract<Poco::JSON::Array::Ptr>();
    std::vector<std::string> items;
    for (size_t i = 0; i < array->size(); ++i) {
      Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
      if (!item.isString()) {
        return MakeError(ErrorCode::kInvalidRequest,
                         path + "[" + std::to_string(i) + "]: expected a string");
      }
      items.push_back(item.extract<std::string>());
    }
    return Value{std::move(items)};
  }
  return MakeError(ErrorCode::kInvalidRequest,
                   path + ": expected null, a boolean, a number, a string or a list of strings");
}

Result<Data> DataFromJson(const Poco::Dynamic::Var& var, const std::string& path) {
  if (var.type() != typeid(Poco::JSON::Object::Ptr)) {
    return MakeError(ErrorCode::kInvalidRequest, path + ": expected an object");
  }
  auto object = var.extract<Poco::JSON::Object::Ptr>();
  Data data;
  for (const auto& [key, value] : *object) {
    auto v = ValueFromJson(value, path + "." + key);
    if (!v) return v.error();
    data.emplace(key, std::move(*v));
  }
  return data;
}

Result<Data> DataFromJsonText(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    return DataFromJson(parser.parse(text), "data");
  } catch (const Poco::Exception& e) {
    return MakeError(ErrorCode::kInvalidRequest, "data: malformed JSON");
  }
}

namespace {

Poco::Dynamic::Var ToVar(const Value& value) {
  return std::visit(
      [](const auto& x) -> Poco::Dynamic::Var {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return Poco::Dynamic::Var();
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
          for (const auto& s : x) array->add(s);
          return array;
        } else {
          return x;
        }
      },
      value);
}

}  // namespace

std::string ValueToJsonText(const Value& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(ToVar(value), out, 0, -1, Poco::JSON_WRAP_STRINGS);
  return out.str();
}

Poco::JSON::Object::Ptr DataToJson(const Data& data) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [key, value] : data) out->set(key, ToVar(value));
  return out;
}

std::string DataToJsonText(const Data& data) {
  std::string out = "{";
  for (const auto& [key, value] : data) {
    if (out.size() > 1) out += ",";
    out += ValueToJsonText(Value{key}) + ":" + ValueToJsonText(value);
  }
  return out + "}";
}

}  // namespace samspil
