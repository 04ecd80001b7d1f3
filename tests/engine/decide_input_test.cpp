// Decide against a step's declared fields: every field type's accepted and refused values,
// required fields, undeclared fields and the comment's length.
#include <catch2/catch.hpp>
#include <string>

#include "samspil/engine.hpp"
#include "support/engine_builders.hpp"

namespace samspil::test {
namespace {

using namespace std::string_literals;
using Catch::Matchers::Contains;

TEST_CASE("Decide refuses a field the step does not declare", "[engine][input]") {
  CHECK(CodeOf(Register({{"notat", "ok"s}})) == "ok");
  auto r = Register({{"ukendt", "x"s}});
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("unknown field \"ukendt\""));
}

TEST_CASE("Decide refuses a step without its required field", "[engine][input]") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  auto missing = Decide(def, CaseAt(def, "ny"), koordinator, Fire("luk", 4), kNow);
  CHECK(CodeOf(missing) == "invalid_request");
  CHECK_THAT(MessageOf(missing), Contains("missing required field \"begrundelse\""));
  // null counts as not given
  auto null = Decide(def, CaseAt(def, "ny"), koordinator,
                     Fire("luk", 4, {{"begrundelse", std::monostate{}}}), kNow);
  CHECK(CodeOf(null) == "invalid_request");
  CHECK_THAT(MessageOf(null), Contains("missing required field \"begrundelse\""));
  CHECK(CodeOf(Decide(def, CaseAt(def, "ny"), koordinator,
                      Fire("luk", 4, {{"begrundelse", "Ingen bekymring"s}}), kNow)) == "ok");
}

TEST_CASE("A string field takes one line of at most 200 characters", "[engine][input]") {
  CHECK(CodeOf(Register({{"navn", Repeat("ø", 200)}})) == "ok");  // characters, not bytes

  auto too_long = Register({{"navn", Repeat("a", 201)}});
  CHECK(CodeOf(too_long) == "invalid_request");
  CHECK_THAT(MessageOf(too_long), Contains("\"navn\"") && Contains("longer than 200"));

  auto two_lines = Register({{"navn", "Mikkel\nSørensen"s}});
  CHECK(CodeOf(two_lines) == "invalid_request");
  CHECK_THAT(MessageOf(two_lines), Contains("\"navn\"") && Contains("one line"));

  auto number = Register({{"navn", 42.0}});
  CHECK(CodeOf(number) == "invalid_request");
  CHECK_THAT(MessageOf(number), Contains("\"navn\": expected a string, got number"));
}

TEST_CASE("A required string field must not be blank", "[engine][input]") {
  auto blank = Register({{"navn", " \t "s}});
  CHECK(CodeOf(blank) == "invalid_request");
  CHECK_THAT(MessageOf(blank), Contains("\"navn\"") && Contains("must not be empty"));
}

TEST_CASE("A required text field of nothing but line breaks is blank", "[engine][input]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}),
                  Fire("luk", 4, {{"begrundelse", "\n \n"s}}), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("\"begrundelse\"") && Contains("must not be empty"));
}

TEST_CASE("A text field takes at most 10000 characters, newlines included", "[engine][input]") {
  CHECK(CodeOf(Register({{"notat", Repeat("a", 9990) + "\nlinje to"}})) == "ok");
  CHECK(CodeOf(Register({{"notat", Repeat("æ", 10000)}})) == "ok");
  auto too_long = Register({{"notat", Repeat("a", 10001)}});
  CHECK(CodeOf(too_long) == "invalid_request");
  CHECK_THAT(MessageOf(too_long), Contains("\"notat\"") && Contains("longer than 10000"));
  auto boolean = Register({{"notat", true}});
  CHECK(CodeOf(boolean) == "invalid_request");
  CHECK_THAT(MessageOf(boolean), Contains("\"notat\": expected a string, got boolean"));
}

TEST_CASE("A boolean field takes true or false, not the word", "[engine][input]") {
  CHECK(CodeOf(Register({{"samtykke", false}})) == "ok");
  auto word = Register({{"samtykke", "true"s}});
  CHECK(CodeOf(word) == "invalid_request");
  CHECK_THAT(MessageOf(word), Contains("\"samtykke\": expected a boolean, got string"));
}

TEST_CASE("A date field takes a valid YYYY-MM-DD date", "[engine][input]") {
  CHECK(CodeOf(Register({{"dato", "2026-11-23"s}})) == "ok");
  for (const char* bad : {"2026-02-30", "23-11-2026", "2026-11-23T10:00:00Z", ""}) {
    INFO(bad);
    auto r = Register({{"dato", std::string(bad)}});
    CHECK(CodeOf(r) == "invalid_request");
    CHECK_THAT(MessageOf(r), Contains("\"dato\": expected a date (YYYY-MM-DD)"));
  }
}

TEST_CASE("An enum field takes one of its options", "[engine][input]") {
  CHECK(CodeOf(Register({{"niveau", "hoej"s}})) == "ok");
  auto other = Register({{"niveau", "mellem"s}});
  CHECK(CodeOf(other) == "invalid_request");
  CHECK_THAT(MessageOf(other), Contains("\"niveau\": \"mellem\" is not one of lav, hoej"));
  auto list = Register({{"niveau", std::vector<std::string>{"lav"}}});
  CHECK(CodeOf(list) == "invalid_request");
  CHECK_THAT(MessageOf(list), Contains("\"niveau\": expected a string, got list"));
}

TEST_CASE("A forum field takes a non-empty forum id", "[engine][input]") {
  CHECK(CodeOf(Register({{"maal", "ukn_koebenhavn"s}})) == "ok");
  auto empty = Register({{"maal", ""s}});
  CHECK(CodeOf(empty) == "invalid_request");
  CHECK_THAT(MessageOf(empty), Contains("\"maal\": expected a forum id"));
}

TEST_CASE("Decide refuses a comment over 10000 characters", "[engine][input]") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  CHECK(CodeOf(Decide(def, CaseAt(def, "ny"), koordinator,
                      Fire("behandl", 4, {}, Repeat("a", 10000)), kNow)) == "ok");
  auto r =
      Decide(def, CaseAt(def, "ny"), koordinator, Fire("behandl", 4, {}, Repeat("a", 10001)), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("comment"));
}

}  // namespace
}  // namespace samspil::test
