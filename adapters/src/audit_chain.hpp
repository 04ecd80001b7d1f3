// The audit log's hash chain: how an entry's hash is computed, and the one way an entry is
// appended (after the chain head the writer keeps for its transaction). Every port that
// changes something appends through AppendAudit, inside its write job.
#pragma once

#include <string>

#include "samspil/adapters/audit_log.hpp"
#include "samspil/case.hpp"

namespace samspil::store_impl {

class StoreCore;

// The prev_hash of the first entry.
inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Length-prefixed fields: no separator inside a value can make two entries hash alike.
std::string AuditHash(const AuditEntry& e);

// Appends to the hash chain after the head the writer keeps for this transaction (read
// once per batch, under the write lock).
// REQUIRES: inside a write job (the chain head must not move meanwhile).
void AppendAudit(StoreCore& core, const AuditContext& who, Timestamp at,
                 const std::string& forum_id, const std::string& case_id,
                 const std::string& action, const std::string& detail);

// The audit context of `actor` reading in `forum_id`: the roles they hold there.
AuditContext Reader(const Actor& actor, const AuditContext& who, const std::string& forum_id);

}  // namespace samspil::store_impl
