// Each registered guard, called directly: when it holds, when it refuses (at the edges), and
// which parameters it refuses at load time (guards.hpp).
#include "samspil/guards.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/builders.hpp"

namespace samspil {
namespace {

using namespace std::string_literals;
using Catch::Matchers::Contains;
using Catch::Matchers::VectorContains;
using test::At;
using test::Day;

using Strings = std::vector<std::string>;

const GuardInfo& Guard(const std::string& name) {
  const GuardInfo* g = FindGuard(name);
  REQUIRE(g != nullptr);
  return *g;
}

// nullopt when the guard holds, else its refusal.
std::optional<std::string> Evaluate(const std::string& name, const Data& params,
                                    const std::string& birth_date, const Data& data,
                                    const std::string& now, const std::string& role = "") {
  const Subject subject{"Mikkel Sørensen", Day(birth_date)};
  return Guard(name).evaluate(params, GuardContext{subject, data, At(now), role});
}

// The fields a workflow declares, by type, for check_params.
const std::map<std::string, FieldType> kDeclared = {
    {"samtykke", FieldType::kBoolean},
    {"samtykke_b", FieldType::kBoolean},
    {"forurettet_under_18", FieldType::kBoolean},
    {"moededato", FieldType::kDate},
    {"navn", FieldType::kString},
    {"varighed", FieldType::kEnum},
};

// "path: message" per problem, so a failing check prints them.
Strings CheckParams(const std::string& name, const Data& params) {
  Strings out;
  for (const auto& p : Guard(name).check_params(params, kDeclared)) {
    out.push_back(p.path + ": " + p.message);
  }
  return out;
}

}  // namespace

TEST_CASE("The registry holds the six guards the workflow README documents", "[engine][guard]") {
  Strings names;
  for (const auto& g : Guards()) {
    names.push_back(g.name);
    INFO(g.name);
    CHECK_FALSE(g.description.empty());
    CHECK(FindGuard(g.name) == &g);
  }
  CHECK(names == Strings{"age_between", "all_true", "date_in_future", "date_not_in_future",
                         "consent_if_minor", "at_most_by_age"});
}

TEST_CASE("FindGuard of an unknown name is nullptr", "[engine][guard]") {
  CHECK(FindGuard("alder_mellem") == nullptr);
  CHECK(FindGuard("") == nullptr);
  CHECK(FindGuard("Age_Between") == nullptr);
}

// ---- age_between -----------------------------------------------------------------------

TEST_CASE("age_between holds up to the day before the 18th birthday when max is 17",
          "[engine][guard]") {
  const Data params{{"min", 10.0}, {"max", 17.0}};
  CHECK_FALSE(Evaluate("age_between", params, "2008-11-23", {}, "2026-11-22T23:59:59Z"));
  auto refusal = Evaluate("age_between", params, "2008-11-23", {}, "2026-11-23T00:00:00Z");
  REQUIRE(refusal);
  CHECK(*refusal == "age_between: the subject must be between 10 and 17 years old (is 18)");
}

TEST_CASE("age_between holds from the 10th birthday when min is 10", "[engine][guard]") {
  const Data params{{"min", 10.0}, {"max", 17.0}};
  CHECK_FALSE(Evaluate("age_between", params, "2016-11-23", {}, "2026-11-23T00:00:00Z"));
  auto refusal = Evaluate("age_between", params, "2016-11-23", {}, "2026-11-22T23:59:59Z");
  REQUIRE(refusal);
  CHECK_THAT(*refusal, Contains("age_between") && Contains("(is 9)"));
}

TEST_CASE("age_between with only min has no upper limit", "[engine][guard]") {
  const Data params{{"min", 18.0}};
  CHECK_FALSE(Evaluate("age_between", params, "1930-01-01", {}, "2026-11-23T12:00:00Z"));
  CHECK_FALSE(Evaluate("age_between", params, "2008-11-23", {}, "2026-11-23T12:00:00Z"));
  auto refusal = Evaluate("age_between", params, "2008-11-24", {}, "2026-11-23T12:00:00Z");
  REQUIRE(refusal);
  CHECK(*refusal == "age_between: the subject must be at least 18 years old (is 17)");
}

TEST_CASE("age_between with only max has no lower limit", "[engine][guard]") {
  const Data params{{"max", 14.0}};
  CHECK_FALSE(Evaluate("age_between", params, "2026-11-23", {}, "2026-11-23T12:00:00Z"));
  auto refusal = Evaluate("age_between", params, "2011-11-23", {}, "2026-11-23T12:00:00Z");
  REQUIRE(refusal);
  CHECK(*refusal == "age_between: the subject must be at most 14 years old (is 15)");
}

TEST_CASE("age_between takes min, max or both as whole numbers", "[engine][guard]") {
  CHECK(CheckParams("age_between", {{"min", 10.0}, {"max", 17.0}}).empty());
  CHECK(CheckParams("age_between", {{"min", 18.0}}).empty());
  CHECK(CheckParams("age_between", {{"max", 0.0}}).empty());
  CHECK(CheckParams("age_between", {{"min", 17.0}, {"max", 17.0}}).empty());
}

TEST_CASE("age_between refuses an unknown parameter", "[engine][guard]") {
  CHECK(CheckParams("age_between", {{"min", 10.0}, {"maks", 17.0}}) ==
        Strings{"params.maks: unknown parameter \"maks\""});
}

TEST_CASE("age_between refuses a bound that is not a whole number from 0 to 200",
          "[engine][guard]") {
  for (const Value& bad : {Value{"10"s}, Value{10.5}, Value{-1.0}, Value{201.0}, Value{true},
                           Value{std::monostate{}}}) {
    INFO(ValueKindName(bad));
    CHECK(CheckParams("age_between", {{"min", bad}}) ==
          Strings{"params.min: must be a whole number between 0 and 200"});
  }
}

TEST_CASE("age_between refuses no bounds at all", "[engine][guard]") {
  CHECK(CheckParams("age_between", {}) == Strings{"params: needs \"min\", \"max\" or both"});
}

TEST_CASE("age_between refuses min greater than max", "[engine][guard]") {
  CHECK(CheckParams("age_between", {{"min", 18.0}, {"max", 17.0}}) ==
        Strings{"params: \"min\" is greater than \"max\""});
}

// ---- all_true --------------------------------------------------------------------------

TEST_CASE("all_true holds when every named field is true", "[engine][guard]") {
  const Data params{{"fields", Strings{"samtykke", "samtykke_b"}}};
  CHECK_FALSE(Evaluate("all_true", params, "2010-05-01",
                       {{"samtykke", true}, {"samtykke_b", true}, {"navn", "x"s}},
                       "2026-11-23T12:00:00Z"));
}

TEST_CASE("all_true refuses naming every field that is false or absent", "[engine][guard]") {
  const Data params{{"fields", Strings{"samtykke", "samtykke_b", "forurettet_under_18"}}};
  auto refusal = Evaluate("all_true", params, "2010-05-01",
                          {{"samtykke", true}, {"samtykke_b", false}}, "2026-11-23T12:00:00Z");
  REQUIRE(refusal);
  CHECK(*refusal == "all_true: these must be true: \"samtykke_b\", \"forurettet_under_18\"");
}

TEST_CASE("all_true does not take a non-boolean value for true", "[engine][guard]") {
  const Data params{{"fields", Strings{"samtykke"}}};
  auto refusal =
      Evaluate("all_true", params, "2010-05-01", {{"samtykke", "true"s}}, "2026-11-23T12:00:00Z");
  REQUIRE(refusal);
  CHECK_THAT(*refusal, Contains("all_true") && Contains("\"samtykke\""));
}

TEST_CASE("all_true takes a non-empty list of declared boolean fields", "[engine][guard]") {
  CHECK(CheckParams("all_true", {{"fields", Strings{"samtykke", "samtykke_b"}}}).empty());
}

TEST_CASE("all_true refuses an unknown parameter", "[engine][guard]") {
  CHECK_THAT(CheckParams("all_true", {{"fields", Strings{"samtykke"}}, {"field", "samtykke"s}}),
             VectorContains("params.field: unknown parameter \"field\""s));
}

TEST_CASE("all_true refuses a missing, empty or ill-typed field list", "[engine][guard]") {
  CHECK(CheckParams("all_true", {}) == Strings{"params: missing parameter \"fields\""});
  CHECK(CheckParams("all_true", {{"fields", Strings{}}}) ==
        Strings{"params.fields: must be a non-empty list of field names"});
  CHECK(CheckParams("all_true", {{"fields", "samtykke"s}}) ==
        Strings{"params.fields: must be a non-empty list of field names"});
}

TEST_CASE("all_true refuses undeclared fields and fields that are not boolean", "[engine][guard]") {
  CHECK(CheckParams("all_true", {{"fields", Strings{"samtykke", "samtykke_c", "moededato"}}}) ==
        Strings{"params.fields[1]: names undeclared field \"samtykke_c\"",
                "params.fields[2]: field \"moededato\" must be of type boolean, not date"});
}

// ---- date_in_future / date_not_in_future -----------------------------------------------

TEST_CASE("date_in_future holds for tomorrow and refuses today", "[engine][guard]") {
  const Data params{{"field", "moededato"s}};
  CHECK_FALSE(Evaluate("date_in_future", params, "2010-05-01", {{"moededato", "2026-11-24"s}},
                       "2026-11-23T23:59:59Z"));
  auto today = Evaluate("date_in_future", params, "2010-05-01", {{"moededato", "2026-11-23"s}},
                        "2026-11-23T00:00:00Z");
  REQUIRE(today);
  CHECK(*today == "date_in_future: \"moededato\" (2026-11-23) must be after today (2026-11-23)");
}

TEST_CASE("date_in_future refuses a missing date", "[engine][guard]") {
  auto refusal = Evaluate("date_in_future", {{"field", "moededato"s}}, "2010-05-01", {},
                          "2026-11-23T12:00:00Z");
  REQUIRE(refusal);
  CHECK(*refusal == "date_in_future: \"moededato\" is missing");
}

TEST_CASE("date_not_in_future holds for today and refuses tomorrow", "[engine][guard]") {
  const Data params{{"field", "moededato"s}};
  CHECK_FALSE(Evaluate("date_not_in_future", params, "2010-05-01", {{"moededato", "2026-11-23"s}},
                       "2026-11-23T00:00:00Z"));
  CHECK_FALSE(Evaluate("date_not_in_future", params, "2010-05-01", {{"moededato", "2020-01-01"s}},
                       "2026-11-23T00:00:00Z"));
  auto tomorrow = Evaluate("date_not_in_future", params, "2010-05-01",
                           {{"moededato", "2026-11-24"s}}, "2026-11-23T23:59:59Z");
  REQUIRE(tomorrow);
  CHECK(*tomorrow ==
        "date_not_in_future: \"moededato\" (2026-11-24) must be today or earlier (2026-11-23)");
}

TEST_CASE("date_not_in_future refuses a date it cannot read", "[engine][guard]") {
  auto refusal = Evaluate("date_not_in_future", {{"field", "moededato"s}}, "2010-05-01",
                          {{"moededato", "i går"s}}, "2026-11-23T12:00:00Z");
  REQUIRE(refusal);
  CHECK(*refusal == "date_not_in_future: \"moededato\" is missing");
}

TEST_CASE("The date guards take one declared date field", "[engine][guard]") {
  for (const char* name : {"date_in_future", "date_not_in_future"}) {
    INFO(name);
    CHECK(CheckParams(name, {{"field", "moededato"s}}).empty());
    CHECK(CheckParams(name, {}) == Strings{"params: missing parameter \"field\""});
    CHECK(CheckParams(name, {{"field", "moededato"s}, {"dage", 3.0}}) ==
          Strings{"params.dage: unknown parameter \"dage\""});
    CHECK(CheckParams(name, {{"field", 3.0}}) == Strings{"params.field: must be a field name"});
    CHECK(CheckParams(name, {{"field", ""s}}) == Strings{"params.field: must be a field name"});
    CHECK(CheckParams(name, {{"field", "doedsdato"s}}) ==
          Strings{"params.field: names undeclared field \"doedsdato\""});
    CHECK(CheckParams(name, {{"field", "samtykke"s}}) ==
          Strings{"params.field: field \"samtykke\" must be of type date, not boolean"});
  }
}

// ---- consent_if_minor ------------------------------------------------------------------

TEST_CASE("consent_if_minor needs consent up to the day before the 18th birthday",
          "[engine][guard]") {
  const Data params{{"consent_field", "samtykke"s}};
  auto minor = Evaluate("consent_if_minor", params, "2008-11-23", {}, "2026-11-22T12:00:00Z");
  REQUIRE(minor);
  CHECK(*minor ==
        "consent_if_minor: a party is under 18, so \"samtykke\" (the custodial parent's "
        "consent) must be true");
  CHECK_FALSE(Evaluate("consent_if_minor", params, "2008-11-23", {}, "2026-11-23T12:00:00Z"));
}

TEST_CASE("consent_if_minor holds for a minor whose consent is given", "[engine][guard]") {
  const Data params{{"consent_field", "samtykke"s}};
  CHECK_FALSE(Evaluate("consent_if_minor", params, "2012-01-01", {{"samtykke", true}},
                       "2026-11-23T12:00:00Z"));
  CHECK(Evaluate("consent_if_minor", params, "2012-01-01", {{"samtykke", false}},
                 "2026-11-23T12:00:00Z"));
}

TEST_CASE("consent_if_minor needs consent for an adult subject when a minor flag is set",
          "[engine][guard]") {
  const Data params{{"consent_field", "samtykke"s},
                    {"minor_flags", Strings{"forurettet_under_18"}}};
  auto refusal = Evaluate("consent_if_minor", params, "1990-01-01", {{"forurettet_under_18", true}},
                          "2026-11-23T12:00:00Z");
  REQUIRE(refusal);
  CHECK_THAT(*refusal, Contains("consent_if_minor") && Contains("\"samtykke\""));
  CHECK_FALSE(Evaluate("consent_if_minor", params, "1990-01-01",
                       {{"forurettet_under_18", true}, {"samtykke", true}},
                       "2026-11-23T12:00:00Z"));
  CHECK_FALSE(Evaluate("consent_if_minor", params, "1990-01-01", {{"forurettet_under_18", false}},
                       "2026-11-23T12:00:00Z"));
}

TEST_CASE("consent_if_minor takes another age limit", "[engine][guard]") {
  const Data params{{"consent_field", "samtykke"s}, {"age", 15.0}};
  CHECK_FALSE(Evaluate("consent_if_minor", params, "2011-11-23", {}, "2026-11-23T12:00:00Z"));
  auto refusal =
      Evaluate("consent_if_minor", params, "2011-11-24", {}, "2026-11-23T12:00:00Z");  // 14
  REQUIRE(refusal);
  CHECK_THAT(*refusal, Contains("under 15"));
}

TEST_CASE("consent_if_minor takes a boolean consent field, an age and boolean flags",
          "[engine][guard]") {
  CHECK(CheckParams("consent_if_minor", {{"consent_field", "samtykke"s}}).empty());
  CHECK(CheckParams("consent_if_minor",
                    {{"consent_field", "samtykke"s},
                     {"age", 16.0},
                     {"minor_flags", Strings{"forurettet_under_18", "samtykke_b"}}})
            .empty());
}

TEST_CASE("consent_if_minor refuses bad parameters", "[engine][guard]") {
  CHECK(CheckParams("consent_if_minor", {}) ==
        Strings{"params: missing parameter \"consent_field\""});
  CHECK(CheckParams("consent_if_minor", {{"consent_field", "samtykke"s}, {"alder", 18.0}}) ==
        Strings{"params.alder: unknown parameter \"alder\""});
  CHECK(CheckParams("consent_if_minor", {{"consent_field", "moededato"s}}) ==
        Strings{"params.consent_field: field \"moededato\" must be of type boolean, not date"});
  CHECK(CheckParams("consent_if_minor", {{"consent_field", "foraeldre"s}}) ==
        Strings{"params.consent_field: names undeclared field \"foraeldre\""});
  CHECK(CheckParams("consent_if_minor", {{"consent_field", "samtykke"s}, {"age", "18"s}}) ==
        Strings{"params.age: must be a whole number between 0 and 200"});
  CHECK(CheckParams("consent_if_minor",
                    {{"consent_field", "samtykke"s}, {"minor_flags", "forurettet_under_18"s}}) ==
        Strings{"params.minor_flags: must be a non-empty list of field names"});
  CHECK(CheckParams("consent_if_minor",
                    {{"consent_field", "samtykke"s}, {"minor_flags", Strings{"navn"}}}) ==
        Strings{"params.minor_flags[0]: field \"navn\" must be of type boolean, not string"});
}

}  // namespace samspil

namespace samspil {
namespace {

using namespace std::string_literals;

// ---- age_between with roles ---------------------------------------------------------------

TEST_CASE("age_between with roles binds only an actor acting in one of them", "[engine][guard]") {
  // UKN: the police open for 10–14-year-olds; a 15-year-old is the court's to refer.
  const Data police_only{{"max", 14.0}, {"roles", Strings{"forebyggelsesbetjent"}}};
  const auto refusal = Evaluate("age_between", police_only, "2011-05-01", {},
                                "2026-11-23T10:00:00Z", "forebyggelsesbetjent");
  REQUIRE(refusal.has_value());
  CHECK(*refusal ==
        "age_between: the subject must be at most 14 years old when "
        "forebyggelsesbetjent acts (is 15)");
  CHECK_FALSE(
      Evaluate("age_between", police_only, "2011-05-01", {}, "2026-11-23T10:00:00Z", "naevn"));
  CHECK_FALSE(Evaluate("age_between", police_only, "2012-11-24", {}, "2026-11-23T10:00:00Z",
                       "forebyggelsesbetjent"));  // 13, the day before turning 14
}

TEST_CASE("age_between refuses roles that are not a list of known roles", "[engine][guard]") {
  CHECK(CheckParams("age_between", {{"max", 14.0}, {"roles", Strings{"chef"}}}) ==
        Strings{"params.roles[0]: unknown role \"chef\""});
  CHECK(CheckParams("age_between", {{"max", 14.0}, {"roles", "naevn"s}}) ==
        Strings{"params.roles: must be a non-empty list of roles"});
  CHECK(CheckParams("age_between", {{"max", 14.0}, {"roles", Strings{"naevn"}}}).empty());
}

// ---- at_most_by_age -----------------------------------------------------------------------

const Data kUknDuration{
    {"field", "varighed"s}, {"max", 24.0}, {"under_age", 15.0}, {"max_under_age", 48.0}};

TEST_CASE("at_most_by_age holds up to the limit for the subject's age", "[engine][guard]") {
  // 16 years old: up to 24 months.
  CHECK_FALSE(Evaluate("at_most_by_age", kUknDuration, "2010-01-01", {{"varighed", "24"s}},
                       "2026-11-23T10:00:00Z"));
  // 12 years old: up to 48 months.
  CHECK_FALSE(Evaluate("at_most_by_age", kUknDuration, "2014-01-01", {{"varighed", "48"s}},
                       "2026-11-23T10:00:00Z"));
  // Not given: nothing to limit.
  CHECK_FALSE(Evaluate("at_most_by_age", kUknDuration, "2010-01-01", {}, "2026-11-23T10:00:00Z"));
}

TEST_CASE("at_most_by_age refuses more than the limit, naming it", "[engine][guard]") {
  auto older = Evaluate("at_most_by_age", kUknDuration, "2010-01-01", {{"varighed", "30"s}},
                        "2026-11-23T10:00:00Z");
  REQUIRE(older.has_value());
  CHECK(*older == "at_most_by_age: \"varighed\" may be at most 24 (is 30)");
  auto younger = Evaluate("at_most_by_age", kUknDuration, "2014-01-01", {{"varighed", "60"s}},
                          "2026-11-23T10:00:00Z");
  REQUIRE(younger.has_value());
  CHECK(*younger ==
        "at_most_by_age: \"varighed\" may be at most 48 for a subject under 15 "
        "(is 60)");
  // On the 15th birthday the general limit applies.
  CHECK(Evaluate("at_most_by_age", kUknDuration, "2011-11-23", {{"varighed", "36"s}},
                 "2026-11-23T10:00:00Z"));
  CHECK(Evaluate("at_most_by_age", kUknDuration, "2010-01-01", {{"varighed", "mange"s}},
                 "2026-11-23T10:00:00Z") == "at_most_by_age: \"varighed\" is not a number");
}

TEST_CASE("at_most_by_age checks its parameters", "[engine][guard]") {
  CHECK(CheckParams("at_most_by_age", kUknDuration).empty());
  CHECK(CheckParams("at_most_by_age", {{"field", "varighed"s}}) ==
        Strings{"params: missing parameter \"max\""});
  CHECK(CheckParams("at_most_by_age", {{"field", "samtykke"s}, {"max", 2.0}}) ==
        Strings{"params.field: field \"samtykke\" must be of type enum or string"});
  CHECK(CheckParams("at_most_by_age", {{"field", "ukendt"s}, {"max", 2.0}}) ==
        Strings{"params.field: names undeclared field \"ukendt\""});
  CHECK(
      CheckParams("at_most_by_age", {{"field", "varighed"s}, {"max", 2.0}, {"under_age", 15.0}}) ==
      Strings{"params: \"under_age\" and \"max_under_age\" go together"});
  CHECK(CheckParams("at_most_by_age", {{"field", "varighed"s}, {"max", 2.0}, {"x", 1.0}}) ==
        Strings{"params.x: unknown parameter \"x\""});
}

}  // namespace
}  // namespace samspil
