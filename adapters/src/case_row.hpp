// One row of `cases` as SOCI fetches it, and its conversion to a Case.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <utility>

#include "samspil/adapters/json_data.hpp"
#include "samspil/case.hpp"
#include "sql/health.hpp"

namespace samspil::store_impl {

// The columns are sql::kCaseColumns, in that order.
struct CaseRow {
  std::string id, forum_id, workflow_id, state, subject_name, birth_date, summary, data, opened_by,
      opened_at, updated_at, entered_at, due_at;
  long long workflow_version = 0, version = 0, escalated = 0;
  soci::indicator due_ind = soci::i_null;

  void Bind(soci::statement& st) {
    using soci::into;
    st.exchange(into(id));
    st.exchange(into(forum_id));
    st.exchange(into(workflow_id));
    st.exchange(into(workflow_version));
    st.exchange(into(state));
    st.exchange(into(version));
    st.exchange(into(subject_name));
    st.exchange(into(birth_date));
    st.exchange(into(summary));
    st.exchange(into(data));
    st.exchange(into(opened_by));
    st.exchange(into(opened_at));
    st.exchange(into(updated_at));
    st.exchange(into(entered_at));
    st.exchange(into(due_at, due_ind));
    st.exchange(into(escalated));
  }

  Case ToCase() const {
    Case c;
    c.id = id;
    c.forum_id = forum_id;
    c.workflow_id = workflow_id;
    c.workflow_version = workflow_version;
    c.state = state;
    c.version = version;
    c.subject.name = subject_name;
    c.subject.birth_date = Stored(ParseDate(birth_date), "subject_birth_date");
    c.summary = summary;
    // Guards run on this data: a row that does not parse must not pass for an empty one.
    c.data = Stored(DataFromJsonText(data), "data");
    c.opened_by = opened_by;
    c.opened_at = Stored(ParseTimestamp(opened_at), "opened_at");
    c.updated_at = Stored(ParseTimestamp(updated_at), "updated_at");
    c.state_entered_at = Stored(ParseTimestamp(entered_at), "state_entered_at");
    if (due_ind == soci::i_ok) c.due_at = Stored(ParseTimestamp(due_at), "due_at");
    c.escalated = escalated != 0;
    return c;
  }

  // The parsed value of a column of this row; CorruptData naming the case and the column
  // (never the value) if it does not parse.
  template <typename T>
  T Stored(Result<T> parsed, const char* column) const {
    if (!parsed) throw CorruptData("case " + id + ": stored " + column + " does not parse");
    return std::move(*parsed);
  }
  template <typename T>
  T Stored(std::optional<T> parsed, const char* column) const {
    if (!parsed) throw CorruptData("case " + id + ": stored " + column + " does not parse");
    return *parsed;
  }
};

}  // namespace samspil::store_impl
