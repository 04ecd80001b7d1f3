// The guard registry. Each guard checks its own parameters at load time, so a workflow file
// that switches a guard on wrongly is refused before any case meets it.
#include "samspil/guards.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "samspil/time.hpp"

namespace samspil {
namespace {

using Problems = std::vector<DefinitionProblem>;
using Declared = std::map<std::string, FieldType>;

void RejectUnknownParams(const Data& params, const std::set<std::string>& allowed, Problems& out) {
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

// With "roles", the rule binds only an actor acting in one of them (e.g. the police open
// UKN cases for 10–14-year-olds, the court for 15–17-year-olds).
void CheckRolesParam(const Data& params, Problems& out) {
  auto it = params.find("roles");
  if (it == params.end()) return;
  const auto* roles = AsStrings(it->second);
  if (!roles || roles->empty()) {
    out.push_back({"params.roles", "must be a non-empty list of roles"});
    return;
  }
  for (size_t i = 0; i < roles->size(); ++i) {
    if (std::find(KnownRoles().begin(), KnownRoles().end(), (*roles)[i]) == KnownRoles().end()) {
      out.push_back(
          {"params.roles[" + std::to_string(i) + "]", "unknown role \"" + (*roles)[i] + "\""});
    }
  }
}

bool BindsRole(const Data& params, const std::string& role) {
  auto it = params.find("roles");
  if (it == params.end()) return true;
  const auto* roles = AsStrings(it->second);
  return roles && std::find(roles->begin(), roles->end(), role) != roles->end();
}

GuardInfo AgeBetween() {
  return {
      "age_between",
      "the subject's age in full years is within [min, max] (for the listed roles only, "
      "if \"roles\" is given)",
      [](const Data& params, const Declared&) {
        Problems out;
        RejectUnknownParams(params, {"min", "max", "roles"}, out);
        auto min = IntParam(params, "min", out);
        auto max = IntParam(params, "max", out);
        if (!params.count("min") && !params.count("max")) {
          out.push_back({"params", "needs \"min\", \"max\" or both"});
        }
        if (min && max && *min > *max) out.push_back({"params", "\"min\" is greater than \"max\""});
        CheckRolesParam(params, out);
        return out;
      },
      [](const Data& params, const GuardContext& ctx) -> std::optional<std::string> {
        if (!BindsRole(params, ctx.role)) return std::nullopt;
        const int age = AgeNow(ctx);
        const int min = IntParamOr(params, "min", 0);
        const int max = IntParamOr(params, "max", 1000);
        if (age >= min && age <= max) return std::nullopt;
        std::string range = params.count("min") && params.count("max")
                                ? "between " + std::to_string(min) + " and " + std::to_string(max)
                            : params.count("min") ? "at least " + std::to_string(min)
                                                  : "at most " + std::to_string(max);
        const std::string who = params.count("roles") ? " when " + ctx.role + " acts" : "";
        return "age_between: the subject must be " + range + " years old" + who + " (is " +
               std::to_string(age) + ")";
      },
  };
}

// A number held by a field (an enum of numbers, e.g. months) is at most `max`, or at most
// `max_under_age` when the subject is younger than `under_age` (a UKN forbedringsforløb:
// up to 24 months, up to 48 for 10–14-year-olds).
GuardInfo AtMostByAge() {
  return {
      "at_most_by_age",
      "the number in the field is at most max, or max_under_age for a subject younger than "
      "under_age",
      [](const Data& params, const Declared& declared) {
        Problems out;
        RejectUnknownParams(params, {"field", "max", "under_age", "max_under_age"}, out);
        auto it = params.find("field");
        const std::string* field = it == params.end() ? nullptr : AsString(it->second);
        if (!field) {
          out.push_back({"params.field", "must name an enum or string field"});
        } else {
          auto d = declared.find(*field);
          if (d == declared.end()) {
            out.push_back({"params.field", "names undeclared field \"" + *field + "\""});
          } else if (d->second != FieldType::kEnum && d->second != FieldType::kString) {
            out.push_back(
                {"params.field", "field \"" + *field + "\" must be of type enum or string"});
          }
        }
        if (!params.count("max")) out.push_back({"params", "missing parameter \"max\""});
        IntParam(params, "max", out);
        IntParam(params, "under_age", out);
        IntParam(params, "max_under_age", out);
        if (params.count("under_age") != params.count("max_under_age")) {
          out.push_back({"params", "\"under_age\" and \"max_under_age\" go together"});
        }
        return out;
      },
      [](const Data& params, const GuardContext& ctx) -> std::optional<std::string> {
        const std::string field = StringParam(params, "field");
        auto it = ctx.data.find(field);
        const std::string* text = it == ctx.data.end() ? nullptr : AsString(it->second);
        if (!text) return std::nullopt;  // not given: nothing to limit
        int value = 0;
        try {
          value = std::stoi(*text);
        } catch (const std::exception&) {
          return "at_most_by_age: \"" + field + "\" is not a number";
        }
        int limit = IntParamOr(params, "max", 0);
        const bool younger =
            params.count("under_age") && AgeNow(ctx) < IntParamOr(params, "under_age", 0);
        if (younger) limit = IntParamOr(params, "max_under_age", limit);
        if (value <= limit) return std::nullopt;
        return "at_most_by_age: \"" + field + "\" may be at most " + std::to_string(limit) +
               (younger
                    ? " for a subject under " + std::to_string(IntParamOr(params, "under_age", 0))
                    : std::string()) +
               " (is " + std::to_string(value) + ")";
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
        return "consent_if_minor: a party is under " + std::to_string(age_limit) + ", so \"" +
               consent + "\" (the custodial parent's consent) must be true";
      },
  };
}

}  // namespace

const std::vector<GuardInfo>& Guards() {
  static const std::vector<GuardInfo> kGuards = {AgeBetween(),      AllTrue(),
                                                 DateCompare(true), DateCompare(false),
                                                 ConsentIfMinor(),  AtMostByAge()};
  return kGuards;
}

const GuardInfo* FindGuard(const std::string& name) {
  for (const auto& g : Guards()) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

}  // namespace samspil
