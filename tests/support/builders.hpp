// Builders shared by the tests: actors, times and small definitions written inline.
// Header-only and engine-only, so engine tests link nothing else.
#pragma once

#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>
#include <utility>

#include "samspil/case.hpp"
#include "samspil/engine.hpp"
#include "samspil/time.hpp"
#include "samspil/workflow.hpp"

namespace samspil::test {

// "2026-11-23T14:05:00Z" -> Timestamp; fails the test on a typo.
inline Timestamp At(const std::string& rfc3339) {
  auto t = ParseTimestamp(rfc3339);
  REQUIRE(t.has_value());
  return *t;
}

inline Date Day(const std::string& ymd) {
  auto d = ParseDate(ymd);
  REQUIRE(d.has_value());
  return *d;
}

// An actor with the given roles in one forum.
inline Actor ActorIn(const std::string& forum, std::initializer_list<std::string> roles,
                     const std::string& id = "usr_test") {
  Actor a;
  a.id = id;
  a.agency_id = "agency_test";
  for (const auto& r : roles) a.roles_by_forum[forum].insert(r);
  return a;
}

inline FieldSpec Field(const std::string& name, FieldType type, bool required = false) {
  FieldSpec f;
  f.name = name;
  f.type = type;
  f.label = name;
  f.required = required;
  return f;
}

inline DeadlineSpec DaysDeadline(int days) {
  DeadlineSpec d;
  d.kind = DeadlineSpec::Kind::kDays;
  d.amount = days;
  return d;
}

// A small valid workflow: ny -(behandl, koordinator)-> aktiv -(luk)-> lukket.
inline WorkflowDefinition TinyWorkflow() {
  WorkflowDefinition def;
  def.id = "tiny";
  def.name = "Tiny";
  def.version = 1;
  def.open.roles = {"forebyggelsesbetjent", "koordinator"};
  def.states = {StateDef{"ny", "Ny", true, false, DaysDeadline(5)},
                StateDef{"aktiv", "Aktiv", false, false, DaysDeadline(10)},
                StateDef{"lukket", "Lukket", false, true, std::nullopt}};
  TransitionDef behandl;
  behandl.action = "behandl";
  behandl.label = "Behandl";
  behandl.from = {"ny"};
  behandl.to = "aktiv";
  behandl.roles = {"koordinator"};
  TransitionDef luk;
  luk.action = "luk";
  luk.label = "Luk";
  luk.from = {"ny", "aktiv"};
  luk.to = "lukket";
  luk.roles = {"koordinator"};
  luk.fields = {Field("begrundelse", FieldType::kText, true)};
  def.transitions = {behandl, luk};
  return def;
}

}  // namespace samspil::test
