// Open: who may open a case in a forum, the subject, the summary, the opening fields and the
// opening guards.
#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "samspil/engine.hpp"
#include "support/engine_builders.hpp"

namespace samspil::test {
namespace {

using namespace std::string_literals;
using Catch::Matchers::Contains;

TEST_CASE("Open starts a case in the initial state at version 1", "[engine][open]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r =
      Open(def, kForum, "case_9", ActorIn(kForum, {"koordinator"}, "usr_koord"), OpenWith(), kNow);
  REQUIRE(CodeOf(r) == "ok");
  const Case& c = r->opened;
  CHECK(c.id == "case_9");
  CHECK(c.forum_id == kForum);
  CHECK(c.workflow_id == "tiny");
  CHECK(c.workflow_version == 1);
  CHECK(c.state == "ny");
  CHECK(c.version == 1);
  CHECK(c.subject.name == "Mikkel Sørensen");
  CHECK(c.subject.birth_date == Day("2010-05-01"));
  CHECK(c.summary == "Bekymring for skolefravær");
  CHECK(c.data.empty());
  CHECK(c.opened_by == "usr_koord");
  CHECK(c.opened_at == kNow);
  CHECK(c.updated_at == kNow);
  CHECK(c.state_entered_at == kNow);
  CHECK(Due(c.due_at) == "2026-11-28T14:05:00Z");  // ny: 5 days
  CHECK_FALSE(c.escalated);

  const HistoryEntry& e = r->entry;
  CHECK(e.seq == 1);
  CHECK(e.action == "open");
  CHECK(e.from.empty());
  CHECK(e.to == "ny");
  CHECK(e.actor_id == "usr_koord");
  CHECK(e.role == "koordinator");
  CHECK(e.at == kNow);
}

TEST_CASE("Open acts in the first opening role the actor holds", "[engine][open]") {
  WorkflowDefinition def = TinyWorkflow();
  def.open.roles = {"koordinator", "forebyggelsesbetjent"};
  auto r = Open(def, kForum, "case_9", ActorIn(kForum, {"forebyggelsesbetjent", "koordinator"}),
                OpenWith(), kNow);
  REQUIRE(CodeOf(r) == "ok");
  CHECK(r->entry.role == "koordinator");
}

TEST_CASE("Open forbids a member whose role may not open a case", "[engine][open]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Open(def, kForum, "case_9", ActorIn(kForum, {"skole"}), OpenWith(), kNow);
  CHECK(CodeOf(r) == "forbidden");
  CHECK_THAT(MessageOf(r),
             Contains("may not open") && Contains("allowed: forebyggelsesbetjent, koordinator"));
}

TEST_CASE("Open hides a forum the actor is not a member of", "[engine][open]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Open(def, kForum, "case_9", ActorIn("ssp_aarhus", {"koordinator"}), OpenWith(), kNow);
  CHECK(CodeOf(r) == "not_found");
  CHECK_THAT(MessageOf(r), Contains(kForum));
}

TEST_CASE("Open refuses a blank subject name", "[engine][open]") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  for (const char* blank : {"", "   ", "\t"}) {
    INFO('"' << blank << '"');
    auto r =
        Open(def, kForum, "case_9", koordinator, OpenWith({}, {blank, Day("2010-05-01")}), kNow);
    CHECK(CodeOf(r) == "invalid_request");
    CHECK_THAT(MessageOf(r), Contains("subject.name must not be empty"));
  }
}

TEST_CASE("Open takes a subject name of one line of at most 200 characters", "[engine][open]") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  auto name = [&](const std::string& n) {
    return Open(def, kForum, "case_9", koordinator, OpenWith({}, {n, Day("2010-05-01")}), kNow);
  };
  CHECK(CodeOf(name(Repeat("å", 200))) == "ok");
  auto too_long = name(Repeat("a", 201));
  CHECK(CodeOf(too_long) == "invalid_request");
  CHECK_THAT(MessageOf(too_long), Contains("subject.name") && Contains("200 characters"));
  auto two_lines = name("Mikkel\nSørensen");
  CHECK(CodeOf(two_lines) == "invalid_request");
  CHECK_THAT(MessageOf(two_lines), Contains("subject.name must be one line"));
}

TEST_CASE("Open refuses a birth date in the future, and takes today", "[engine][open]") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  CHECK(CodeOf(Open(def, kForum, "case_9", koordinator, OpenWith({}, {"Nyfødt", Day("2026-11-23")}),
                    kNow)) == "ok");
  auto r =
      Open(def, kForum, "case_9", koordinator, OpenWith({}, {"Ufødt", Day("2026-11-24")}), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("subject.birth_date is in the future"));
}

TEST_CASE("Open refuses a blank or overlong summary", "[engine][open]") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  const Subject subject{"Mikkel Sørensen", Day("2010-05-01")};
  auto blank = Open(def, kForum, "case_9", koordinator, OpenWith({}, subject, " "), kNow);
  CHECK(CodeOf(blank) == "invalid_request");
  CHECK_THAT(MessageOf(blank), Contains("summary must not be empty"));
  auto too_long =
      Open(def, kForum, "case_9", koordinator, OpenWith({}, subject, Repeat("a", 10001)), kNow);
  CHECK(CodeOf(too_long) == "invalid_request");
  CHECK_THAT(MessageOf(too_long), Contains("summary is longer than 10000"));
  CHECK(CodeOf(Open(def, kForum, "case_9", koordinator, OpenWith({}, subject, Repeat("a", 10000)),
                    kNow)) == "ok");
}

TEST_CASE("Open refuses a summary of nothing but line breaks and spaces", "[engine][open]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Open(def, kForum, "case_9", ActorIn(kForum, {"koordinator"}),
                OpenWith({}, {"Mikkel Sørensen", Day("2010-05-01")}, " \n\r\n\t"), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("summary must not be empty"));
}

TEST_CASE("Open checks the opening fields and keeps them on the case", "[engine][open]") {
  const WorkflowDefinition def = ReleaseWorkflow();
  const Actor betjent = ActorIn(kForum, {"kriminalforsorg"});
  auto ok = Open(def, kForum, "case_9", betjent,
                 OpenWith({{"loesladelsesdato", "2027-05-31"s}, {"anstalt", "Vestre"s}}), kNow);
  REQUIRE(CodeOf(ok) == "ok");
  const Data expected{{"loesladelsesdato", "2027-05-31"s}, {"anstalt", "Vestre"s}};
  CHECK(ok->opened.data == expected);
  CHECK(ok->entry.data == expected);
  CHECK(ok->entry.role == "kriminalforsorg");
  CHECK(Due(ok->opened.due_at) == "2027-02-28T23:59:59Z");

  auto missing = Open(def, kForum, "case_9", betjent, OpenWith({{"anstalt", "Vestre"s}}), kNow);
  CHECK(CodeOf(missing) == "invalid_request");
  CHECK_THAT(MessageOf(missing), Contains("missing required field \"loesladelsesdato\""));

  auto unknown = Open(def, kForum, "case_9", betjent,
                      OpenWith({{"loesladelsesdato", "2027-05-31"s}, {"cpr", "x"s}}), kNow);
  CHECK(CodeOf(unknown) == "invalid_request");
  CHECK_THAT(MessageOf(unknown), Contains("unknown field \"cpr\""));

  auto ill_typed =
      Open(def, kForum, "case_9", betjent, OpenWith({{"loesladelsesdato", "31-05-2027"s}}), kNow);
  CHECK(CodeOf(ill_typed) == "invalid_request");
  CHECK_THAT(MessageOf(ill_typed), Contains("\"loesladelsesdato\": expected a date"));
}

TEST_CASE("Open applies the opening guards", "[engine][open]") {
  const WorkflowDefinition def = YouthBoardWorkflow();
  const Actor naevn = ActorIn(kForum, {"naevn"});
  CHECK(CodeOf(Open(def, kForum, "case_9", naevn, OpenWith({}, {"Ung", Day("2008-11-24")}),
                    kNow)) == "ok");  // 17 until tomorrow
  auto adult = Open(def, kForum, "case_9", naevn, OpenWith({}, {"Voksen", Day("2008-11-23")}),
                    kNow);  // 18 today
  CHECK(CodeOf(adult) == "guard_failed");
  CHECK_THAT(MessageOf(adult), Contains("age_between") && Contains("(is 18)"));
}

}  // namespace
}  // namespace samspil::test
