// Cases (handlers.hpp). Changes go through the CaseService, which loads, lets the engine
// decide and applies; reads go to the store, which returns only what the caller may see.
#include "handlers.hpp"
#include "json_codec.hpp"

namespace samspil {

CaseHandlers::CaseHandlers(Store& store, CaseService& cases, Metrics& metrics)
    : store_(store), cases_(cases), metrics_(metrics) {}

Result<std::string> CaseHandlers::CaseJsonFor(const Case& c, const Actor& actor, Timestamp now,
                                              bool referral_targets) {
  auto links = store_.Links(actor, c.id);
  if (!links) return links.error();
  auto names = store_.DisplayNames({c.opened_by});
  if (!names) return names.error();
  return CaseJsonWith(c, actor, *links, *names, now, referral_targets);
}

Result<std::string> CaseHandlers::CaseJsonWith(const Case& c, const Actor& actor,
                                               const std::vector<CaseLink>& links,
                                               const std::map<std::string, std::string>& names,
                                               Timestamp now, bool referral_targets) {
  auto def = cases_.DefinitionOf(c);
  if (!def) return def.error();
  auto actions = ActionsJsonFor(**def, c, actor, referral_targets);
  if (!actions) return actions.error();
  return CaseJson(c, **def, actor, links, names, *actions, now);
}

Result<std::string> CaseHandlers::ActionsJsonFor(const WorkflowDefinition& def, const Case& c,
                                                 const Actor& actor, bool referral_targets) {
  if (referral_targets) {
    std::optional<std::vector<Forum>> fora;
    if (AsksForForum(def, c, actor)) {
      auto listed = store_.ListFora();
      if (!listed) return listed.error();
      fora = std::move(*listed);
    }
    return AvailableActionsJson(def, c, actor, fora ? &*fora : nullptr);
  }
  std::string key = def.id + '\n' + std::to_string(def.version) + '\n' + c.state;
  for (const auto& role : actor.RolesIn(c.forum_id)) key += '\n' + role;
  {
    std::lock_guard lock(actions_mutex_);
    if (auto it = actions_json_.find(key); it != actions_json_.end()) return it->second;
  }
  std::string text = AvailableActionsJson(def, c, actor, nullptr);
  std::lock_guard lock(actions_mutex_);
  actions_json_.emplace(key, text);
  return text;
}

ApiResponse CaseHandlers::OpenCase(RequestContext& ctx) {
  auto request = OpenCaseRequestFromJson(ctx.request.body);
  if (!request) return ErrorResponse(request.error());
  const Actor& actor = ctx.actor();
  auto opened = cases_.OpenCase(actor, request->forum_id, request->command, ctx.Who());
  if (!opened) return ErrorResponse(opened.error());
  auto json = CaseJsonFor(*opened, actor, ctx.now);
  if (!json) return ErrorResponse(json.error());
  return JsonAnswer(201, std::move(*json));
}

ApiResponse CaseHandlers::ListCases(RequestContext& ctx) {
  auto filter = CaseFilterFromQuery(ctx.request.query, ctx.now);
  if (!filter) return ErrorResponse(filter.error());
  const Actor& actor = ctx.actor();
  // The page with its links and openers' names in a fixed number of statements, not three
  // store calls per case.
  auto page = store_.ListCaseViews(actor, *filter, ctx.Who(), ctx.now);
  if (!page) return ErrorResponse(page.error());
  std::vector<std::string> items;
  for (const auto& c : page->items) {
    auto json = CaseJsonWith(c, actor, page->links.at(c.id), page->display_names, ctx.now);
    if (!json) return ErrorResponse(json.error());
    items.push_back(std::move(*json));
  }
  return JsonAnswer(200, CasePageJson(items, page->next_cursor));
}

ApiResponse CaseHandlers::GetCase(RequestContext& ctx) {
  const Actor& actor = ctx.actor();
  auto c = store_.GetCase(actor, ctx.params.at("id"), ctx.Who(), ctx.now);
  if (!c) return ErrorResponse(c.error());
  auto json = CaseJsonFor(*c, actor, ctx.now, /*referral_targets=*/true);
  if (!json) return ErrorResponse(json.error());
  return JsonAnswer(200, std::move(*json));
}

ApiResponse CaseHandlers::TakeTransition(RequestContext& ctx) {
  auto command = TransitionCommandFromJson(ctx.request.body);
  if (!command) return ErrorResponse(command.error());
  const Actor& actor = ctx.actor();
  auto updated = cases_.Transition(actor, ctx.params.at("id"), *command, ctx.Who());
  if (!updated) return ErrorResponse(updated.error());
  metrics_.CountTransition(updated->workflow_id, command->action);
  auto json = CaseJsonFor(*updated, actor, ctx.now);
  if (!json) return ErrorResponse(json.error());
  return JsonAnswer(200, std::move(*json));
}

// docs/domain.md rule 6: a closed case is reopened with a reason, never silently.
ApiResponse CaseHandlers::ReopenCase(RequestContext& ctx) {
  auto command = ReopenCommandFromJson(ctx.request.body);
  if (!command) return ErrorResponse(command.error());
  const Actor& actor = ctx.actor();
  auto reopened = cases_.Reopen(actor, ctx.params.at("id"), *command, ctx.Who());
  if (!reopened) return ErrorResponse(reopened.error());
  metrics_.CountTransition(reopened->workflow_id, kReopenAction);
  auto json = CaseJsonFor(*reopened, actor, ctx.now);
  if (!json) return ErrorResponse(json.error());
  return JsonAnswer(200, std::move(*json));
}

ApiResponse CaseHandlers::CaseHistory(RequestContext& ctx) {
  const Actor& actor = ctx.actor();
  auto history = store_.History(actor, ctx.params.at("id"), ctx.Who(), ctx.now);
  if (!history) return ErrorResponse(history.error());
  // Who acted and for which agency (docs/domain.md rule 3: who, agency, role); few distinct actors.
  std::map<std::string, UserProfile> actors;
  for (const auto& e : *history) {
    if (e.actor_id.empty() || actors.count(e.actor_id)) continue;
    auto profile = store_.Profile(e.actor_id);
    if (!profile) return ErrorResponse(profile.error());
    actors.emplace(e.actor_id, std::move(*profile));
  }
  return JsonAnswer(200, HistoryJson(*history, actors));
}

ApiResponse CaseHandlers::ListEscalations(RequestContext& ctx) {
  const Actor& actor = ctx.actor();
  auto cases = store_.ListEscalations(actor, 500, ctx.Who(), ctx.now);
  if (!cases) return ErrorResponse(cases.error());
  std::vector<std::string> items;
  for (const auto& c : *cases) {
    auto json = CaseJsonFor(c, actor, ctx.now);
    if (!json) return ErrorResponse(json.error());
    items.push_back(std::move(*json));
  }
  return JsonAnswer(200, ItemsJson(items));
}

}  // namespace samspil
