// The guard registry. Each guard checks its own parameters at load time, so a workflow file
// that switches a guard on wrongly is refused before any case meets it.
#include "samspil/guards.hpp"

#include <cmath>
#include <set>

#include "samspil/time.hpp"

namespace samspil {
namespace {

using Problems = std::vector<DefinitionProblem>;
using Declared = std::map<std::string, FieldType>;

void RejectUnknownParams(const Data& params, const std::set<std::string>& allowed,
                         Problems& out) {
  for (const auto& [key, value] : params) {
    if (!allowed.count(key)) out.push_back({"params." + key, "unknown parameter \"" + key + "\""});
  }
}

// An optional integer parameter; nullopt when absent, a problem when ill-typed.
std::optional<int> IntParam(const Data& params, const std::string& key, Problems& out) {
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  const double* n = AsNumber(it->second);
  if (!n || std::floor(*n) != *n || *n < 0 || *n > 200) {
    out.push_back({"params." + key, "must be a whole number between 0 and 200"});
    return std::nullopt;
  }
  return static_cast<int>(*n);
}

void RequireDeclared(const std::string& path, const std::string& field, FieldType type,
                     const Declared& declared, Problems& out) {
  auto it = declared.find(field);
  if (it == declared.end()) {
    out.push_back({path, "names undeclared field \"" + field + "\""});
  } else if (it->second != type) {
    out.push_back({path, "field \"" + field + "\" must be of type " + FieldTypeName(type) +
                             ", not " + FieldTypeName(it->second)});
  }
}

void CheckFieldParam(const Data& params, const std::string& key, FieldType type, bool required,
                     const Declared& declared, Problems& out) {
  auto it = params.find(key);
  if (it == params.end()) {
    if (required) out.push_back({"params", "missing parameter \"" + key + "\""});
    return;
  }
  const std::string* name = AsString(it->second);
  if (!name || name->empty()) {
    out.push_back({"params." + key, "must be a field name"});
    return;
  }
  RequireDeclared("params." + key, *name, type, declared, out);
}

void CheckFieldListParam(const Data& params, const std::string& key, bool required,
                         const Declared& declared, Problems& out) {
  auto it = params.find(key);
  if (it == params.end()) {
    if (required) out.push_back({"params", "missing parameter \"" + key + "\""});
    return;
  }
  const auto* names = AsStrings(it->second);
  if (!names || (required && names->empty())) {
    out.push_back({"params." + key, "must be a non-empty list of field names"});
    return;
  }
  for (size_t i = 0; i < names->size(); ++i) {
    RequireDeclared("params." + key + "[" + std::to_string(i) + "]", (*names)[i],
                    FieldType::kBoolean, declared, out);
  }
}

std::string StringParam(const Data& params, const std::string& key) {
  auto it = params.find(key);
  const std::string* s = it == params.end() ? nullptr : AsString(it->second);
  return s ? *s : std::string();
}

std::vector<std::string> ListParam(const Data& params, const std::string& key) {
  auto it = params.find(key);
  const auto* l = it == params.end() ? nullptr : AsStrings(it->second);
  return l ? *l : std::vector<std::string>();
}

int IntParamOr(const Data& params, const std::string& key, int fallback) {
  auto it = params.find(key);
  const double* n = it == params.end() ? nullptr : AsNumber(it->second);
  return n ? static_cast<int>(*n) : fallback;
}

bool IsTrue(const Data& data, const std::string& field) {
  auto it = data.find(field);
  const bool* b = it == data.end() ? nullptr : AsBool(it->second);
  return b && *b;
}

std::optional<Date> DateField(const Data& data, const std::string& field) {
  auto it = data.find(field);
  const std::string* s = it == data.end() ? nullptr : AsString(it->second);
  return s ? ParseDate(*s) : std::nullopt;
}

int AgeNow(const GuardContext& ctx) { return AgeInYears(ctx.subject.birth_date, DateOf(ctx.now)); }

GuardInfo AgeBetween() {
  return {
      "age_between",
      "the subject's age in full years is within [min, max]",
      [](const Data& params, const Declared&) {
        Problems out;
        RejectUnknownParams(params, {"min", "max"}, out);
        auto min = IntParam(params, "min", out);
        auto max = IntParam(params, "max", out);
        if (!params.count("min") && !params.count("max")) {
          out.push_back({"params", "needs \"min\", \"max\" or both"});
        }
        if (min && max && *min > *max) out.push_back({"params", "\"min\" is greater than \"max\""});
        return out;
      },
      [](const Data& params, const GuardContext& ctx) -> std::optional<std::string> {
        const int age = AgeNow(ctx);
        const int min = IntParamOr(params, "min", 0);
        const int max = IntParamOr(params, "max", 1000);
        if (age >= min && age <= max) return std::nullopt;
        std::string range = params.count("min") && params.count("max")
                                ? "between " + std::to_string(min) + " and " + std::to_string(max)
                            : params.count("min") ? "at least " + std::to_string(min)
                                                  : "at most " + std::to_string(max);
        return "age_between: the subject must be " + range + " years old (is " +
               std::to_string(age) + ")";
      },
  };
}

GuardInfo AllTrue() {
  return {
      "all_true",
      "every named boolean field is true",
      [](const Data& params, const Declared& declared) {
        Problems out;
        RejectUnknownParams(params, {"fields"}, out);
        CheckFieldListParam(params, "fields", true, declared, out);
        return out;
      },
      [](const Data& params, const GuardContext& ctx) -> std::optional<std::string> {
        std::string missing;
        for (const auto& field : ListParam(params, "fields")) {
          if (!IsTrue(ctx.data, field)) missing += (missing.empty() ? "\"" : ", \"") + field + "\"";
        }
        if (missing.empty()) return std::nullopt;
        return "all_true: these must be true: " + missing;
      },
  };
}

GuardInfo DateCompare(bool future) {
  std::string name = future ? "date_in_future" : "date_not_in_future";
  return {
      name,
      future ? "the date field is after today" : "the date field is today or earlier",
      [](const Data& params, const Declared& declared) {
        Problems out;
        RejectUnknownParams(params, {"field"}, out);
        CheckFieldParam(params, "field", FieldType::kDate, true, declared, out);
        return out;
      },
      [future, name](const Data& params, const GuardContext& ctx) -> std::optional<std::string> {
        const std::string field = StringParam(params, "field");
        auto date = DateField(ctx.data, field);
        const Date today = DateOf(ctx.now);
        if (!date) return name + ": \"" + field + "\" is missing";
        if (future && *date > today) return std::nullopt;
        if (!future && *date <= today) return std::nullopt;
        return name + ": \"" + field + "\" (" + FormatDate(*date) + ") must be " +
               (future ? "after today (" : "today or earlier (") + FormatDate(today) + ")";
      },
  };
}

GuardInfo ConsentIfMinor() {
  return {
      "consent_if_minor",
      "when the subject is under age, or a minor flag is set, the consent field is true",
      [](const Data& params, const Declared& declared) {
        Problems out;
        RejectUnknownParams(params, {"consent_field", "age", "minor_flags"}, out);
        CheckFieldParam(params, "consent_field", FieldType::kBoolean, true, declared, out);
        IntParam(params, "age", out);
        CheckFieldListParam(params, "minor_flags", false, declared, out);
        return out;
      },
      [](const Data& params, const GuardContext& ctx) -> std::optional<std::string> {
        const int age_limit = IntParamOr(params, "age", 18);
        bool minor_involved = AgeNow(ctx) < age_limit;
        for (const auto& flag : ListParam(params, "minor_flags")) {
          minor_involved = minor_involved || IsTrue(ctx.data, flag);
        }
        const std::string consent = StringParam(params, "consent_field");
        if (!minor_involved || IsTrue(ctx.data, consent)) return std::nullopt;
        return "consent_if_minor: a party is under " + std::to_string(age_limit) +
               ", so \"" + consent + "\" (the custodial parent's consent) must be true";
      },
  };
}

}  // namespace

const std::vector<GuardInfo>& Guards() {
  static const std::vector<GuardInfo> kGuards = {AgeBetween(), AllTrue(), DateCompare(true),
                                                 DateCompare(false), ConsentIfMinor()};
  return kGuards;
}

const GuardInfo* FindGuard(const std::string& name) {
  for (const auto& g : Guards()) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

}  // namespace samspil
