// The REST API's JSON (docs/api.md §2) as pure functions: request bodies and query strings
// to commands, domain values to response bodies. No store, no clock, no state: a handler
// loads what a shape needs and passes it in, so each shape is written in one place and
// Poco::JSON stays behind this header. Private to web/.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "samspil/adapters/store.hpp"
#include "samspil/engine.hpp"

namespace samspil {

// ---- request bodies (json_requests.cpp) ---------------------------------------------------
// Each is 400 `invalid_request` naming the first field that is missing or malformed, in
// the order the fields are listed here.

struct LoginRequest {
  std::string username;
  std::string password;
};
Result<LoginRequest> LoginRequestFromJson(const std::string& body);

// POST /cases: forum_id, subject {name, birth_date}, summary, data.
struct OpenCaseRequest {
  std::string forum_id;
  OpenCommand command;
};
Result<OpenCaseRequest> OpenCaseRequestFromJson(const std::string& body);

// POST /cases/{id}/transitions: action, expected_version, comment, data.
Result<TransitionCommand> TransitionCommandFromJson(const std::string& body);

// POST /cases/{id}/reopen: expected_version, reason.
Result<ReopenCommand> ReopenCommandFromJson(const std::string& body);

// GET /cases?forum_id&state&overdue&escalated&limit&cursor; `now` decides what is overdue.
Result<CaseFilter> CaseFilterFromQuery(const std::map<std::string, std::string>& query,
                                       Timestamp now);

// ---- response bodies (json_responses.cpp) -------------------------------------------------

// {"error": {"code", "message"[, "details": {"rule"}]}}; no details when `rule` is empty.
std::string ErrorJson(const std::string& code, const std::string& message, const std::string& rule);

// <me>: the user, their agency and memberships, and the session's CSRF token.
std::string MeJson(const UserProfile& profile, const std::string& csrf_token);
// The answer to a login: the token, the CSRF token and the same <me> as GET /me.
std::string LoginJson(const std::string& token, const std::string& csrf_token,
                      const UserProfile& profile);

std::string WorkflowJson(const WorkflowDefinition& def);
std::string WorkflowsJson(const std::map<std::string, WorkflowDefinition>& workflows);

// The fora listed with the actor's roles in each.
std::string ForaJson(const std::vector<Forum>& fora, const Actor& actor);

// The Overblik page's figures: every state of `def` in definition order, zeros included, so
// a chart always has the same rows. No personal data.
std::string ForumStatsJson(const Forum& forum, const WorkflowDefinition& def,
                           const ForumStatistics& stats, Timestamp now);

// A case's history; `actors` holds the profile of every non-empty actor_id in it.
std::string HistoryJson(const std::vector<HistoryEntry>& history,
                        const std::map<std::string, UserProfile>& actors);

// The actions `actor` may take on `c` now. With `referral_fora` (every forum), a `forum`
// field lists the fora that run its workflow ("forums": [{"id", "name"}]): the referral form
// needs them, and the user is usually no member of the target forum.
std::string AvailableActionsJson(const WorkflowDefinition& def, const Case& c, const Actor& actor,
                                 const std::vector<Forum>* referral_fora);
// Whether an action `actor` may take on `c` asks for a forum (so the fora must be listed).
bool AsksForForum(const WorkflowDefinition& def, const Case& c, const Actor& actor);

// A case as `actor` reads it: `def` the definition it is pinned to, `display_names` by user
// id (the opener's at least), `actions_json` from AvailableActionsJson.
std::string CaseJson(const Case& c, const WorkflowDefinition& def, const Actor& actor,
                     const std::vector<CaseLink>& links,
                     const std::map<std::string, std::string>& display_names,
                     const std::string& actions_json, Timestamp now);

// {"items": [...]} of already-serialised objects; with a page, also "next_cursor".
std::string ItemsJson(const std::vector<std::string>& items);
std::string CasePageJson(const std::vector<std::string>& items,
                         const std::optional<std::string>& next_cursor);

}  // namespace samspil
