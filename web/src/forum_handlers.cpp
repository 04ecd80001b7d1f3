// The definitions and the fora (handlers.hpp).
#include <algorithm>

#include "handlers.hpp"
#include "json_codec.hpp"

namespace samspil {

ForumHandlers::ForumHandlers(Store& store, CaseService& cases) : store_(store), cases_(cases) {}

ApiResponse ForumHandlers::ListWorkflows(RequestContext&) {
  return JsonAnswer(200, WorkflowsJson(cases_.Workflows()));
}

ApiResponse ForumHandlers::GetWorkflow(RequestContext& ctx) {
  auto it = cases_.Workflows().find(ctx.params.at("id"));
  if (it == cases_.Workflows().end()) {
    return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such workflow"));
  }
  return JsonAnswer(200, WorkflowJson(it->second));
}

// An admin sees every forum; anybody else the fora they are a member of.
ApiResponse ForumHandlers::ListFora(RequestContext& ctx) {
  const Actor& actor = ctx.actor();
  std::vector<Forum> fora;
  if (actor.is_admin) {
    auto all = store_.ListFora();
    if (!all) return ErrorResponse(all.error());
    fora = std::move(*all);
  } else {
    auto profile = store_.Profile(actor.id);
    if (!profile) return ErrorResponse(profile.error());
    for (const auto& seat : profile->memberships) {
      if (fora.empty() || fora.back().id != seat.forum.id) fora.push_back(seat.forum);
    }
  }
  return JsonAnswer(200, ForaJson(fora, actor));
}

// The Overblik page's figures; the store refuses a forum the caller is not in.
ApiResponse ForumHandlers::ForumStats(RequestContext& ctx) {
  const Actor& actor = ctx.actor();
  const std::string& forum_id = ctx.params.at("id");
  auto stats = store_.ForumStats(ctx.Who(), actor, forum_id, ctx.now);
  if (!stats) return ErrorResponse(stats.error());
  auto profile = store_.Profile(actor.id);
  if (!profile) return ErrorResponse(profile.error());
  const auto seat = std::find_if(profile->memberships.begin(), profile->memberships.end(),
                                 [&](const auto& m) { return m.forum.id == forum_id; });
  if (seat == profile->memberships.end()) {
    return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such forum"));
  }
  auto def = cases_.Workflows().find(seat->forum.workflow_id);
  if (def == cases_.Workflows().end()) {
    return ErrorResponse(MakeError(ErrorCode::kInternal, "forum runs an unloaded workflow"));
  }
  return JsonAnswer(200, ForumStatsJson(seat->forum, def->second, *stats, ctx.now));
}

}  // namespace samspil
