#include "samspil/adapters/case_service.hpp"

namespace samspil {

CaseService::CaseService(Store& store, std::map<std::string, WorkflowDefinition> current,
                         Clock& clock, IdSource& ids)
    : store_(store), current_(std::move(current)), clock_(clock), ids_(ids) {}

Result<std::shared_ptr<const WorkflowDefinition>> CaseService::DefinitionOf(const Case& c) {
  return store_.PinnedWorkflow(c.workflow_id, c.workflow_version);
}

Result<Case> CaseService::OpenCase(const Actor& actor, const std::string& forum_id,
                                   const OpenCommand& command, const AuditContext& who) {
  auto forum = store_.GetForum(forum_id);
  // Only a forum that is not there is "not found"; a failed read is the store's error.
  if (!forum && forum.error().code != ErrorCode::kNotFound) return forum.error();
  if (!forum || actor.RolesIn(forum_id).empty()) {
    return MakeError(ErrorCode::kNotFound, "forum not found");
  }
  auto def = current_.find(forum->workflow_id);
  if (def == current_.end()) {
    return MakeError(ErrorCode::kInternal, "workflow " + forum->workflow_id + " is not loaded");
  }
  auto opening = Open(def->second, forum_id, ids_.NewId("case_"), actor, command, clock_.Now());
  if (!opening) return opening.error();
  if (auto st = store_.CreateCase(*opening, actor, who); !st) return st.error();
  return opening->opened;
}

Result<Case> CaseService::Transition(const Actor& actor, const std::string& case_id,
                                     const TransitionCommand& command, const AuditContext& who) {
  auto current = store_.LoadForDecision(actor, case_id);
  if (!current) return current.error();
  auto def = DefinitionOf(*current);
  if (!def) return def.error();
  const Timestamp now = clock_.Now();
  auto decision = Decide(**def, *current, actor, command, now);
  if (!decision) return decision.error();

  std::optional<Opening> referred;
  if (const auto& referral = decision->referral) {
    auto target_forum = store_.GetForum(referral->target_forum_id);
    if (!target_forum && target_forum.error().code != ErrorCode::kNotFound) {
      return target_forum.error();
    }
    if (!target_forum || target_forum->workflow_id != referral->target_workflow_id) {
      return MakeError(
          ErrorCode::kInvalidRequest,
          "no " + referral->target_workflow_id + " forum \"" + referral->target_forum_id + "\"");
    }
    auto target = current_.find(referral->target_workflow_id);
    if (target == current_.end()) {
      return MakeError(ErrorCode::kInternal,
                       "workflow " + referral->target_workflow_id + " is not loaded");
    }
    auto opening = OpenReferral(target->second, *referral, *current, ids_.NewId("case_"), actor,
                                decision->entry.role, now);
    if (!opening) return opening.error();
    referred = std::move(*opening);
  }
  return store_.ApplyDecision(actor, *decision, command.expected_version, referred, who);
}

Result<Case> CaseService::Reopen(const Actor& actor, const std::string& case_id,
                                 const ReopenCommand& command, const AuditContext& who) {
  auto current = store_.LoadForDecision(actor, case_id);
  if (!current) return current.error();
  auto def = DefinitionOf(*current);
  if (!def) return def.error();
  auto decision = samspil::Reopen(**def, *current, actor, command, clock_.Now());
  if (!decision) return decision.error();
  return store_.ApplyDecision(actor, *decision, command.expected_version, std::nullopt, who);
}

}  // namespace samspil
