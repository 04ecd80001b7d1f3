// Parses workflow JSON strictly: every key known, every value of the right type, each
// problem reported with its JSON path. Semantic rules live in the engine's Validate().
#include "samspil/adapters/workflow_loader.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "samspil/adapters/json_data.hpp"

namespace samspil {

std::string LoadProblem::ToString() const {
  return path.empty() ? file + ": " + message : file + ": " + path + ": " + message;
}

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string Indexed(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

class Reader {
 public:
  Reader(std::string file, std::vector<LoadProblem>& problems)
      : file_(std::move(file)), problems_(problems) {}

  bool failed() const { return problems_.size() != initial_count_; }

  WorkflowDefinition Definition(const Var& root) {
    WorkflowDefinition def;
    auto obj = AsObject(root, "");
    if (!obj) return def;
    Keys(obj, "",
         {"id", "name", "version", "open", "states", "transitions", "confidential_roles", "reopen"});
    def.id = String(obj, "", "id", true);
    def.name = String(obj, "", "name", true);
    def.version = Integer(obj, "", "version", true).value_or(1);
    if (auto open = ObjectAt(obj, "", "open", true)) {
      Keys(open, "open", {"roles", "fields", "guards"});
      def.open.roles = Strings(open, "open", "roles", true);
      def.open.fields = Fields(open, "open");
      def.open.guards = Guards(open, "open");
    }
    def.confidential_roles = Strings(obj, "", "confidential_roles", false);
    if (auto r = ObjectAt(obj, "", "reopen", false)) {
      Keys(r, "reopen", {"roles", "to", "label"});
      def.reopen = ReopenDef{Strings(r, "reopen", "roles", true), String(r, "reopen", "to", true),
                             String(r, "reopen", "label", true)};
    }
    ForEachObject(obj, "", "states", true, [&](Object::Ptr s, const std::string& path) {
      Keys(s, path, {"id", "label", "initial", "terminal", "deadline"});
      StateDef state;
      state.id = String(s, path, "id", true);
      state.label = String(s, path, "label", true);
      state.initial = Bool(s, path, "initial").value_or(false);
      state.terminal = Bool(s, path, "terminal").value_or(false);
      if (auto d = ObjectAt(s, path, "deadline", false))
        state.deadline = Deadline(d, path + ".deadline");
      def.states.push_back(std::move(state));
    });
    ForEachObject(obj, "", "transitions", true, [&](Object::Ptr t, const std::string& path) {
      Keys(t, path,
           {"action", "label", "from", "to", "stay", "roles", "fields", "guards", "referral",
            "confidential"});
      TransitionDef tr;
      tr.action = String(t, path, "action", true);
      tr.label = String(t, path, "label", true);
      if (t->isArray("from")) {
        tr.from = Strings(t, path, "from", true);
      } else {
        tr.from.push_back(String(t, path, "from", true));
      }
      const bool stay = Bool(t, path, "stay").value_or(false);
      if (t->has("stay") && !stay) Add(Join(path, "stay"), "if present, must be true");
      if (t->has("to")) tr.to = String(t, path, "to", true);
      if (tr.to && stay) Add(path, "has both \"to\" and \"stay\"");
      if (!t->has("to") && !stay) Add(path, "needs \"to\" or \"stay\": true");
      tr.roles = Strings(t, path, "roles", true);
      tr.fields = Fields(t, path);
      tr.guards = Guards(t, path);
      tr.confidential = Bool(t, path, "confidential").value_or(false);
      if (auto r = ObjectAt(t, path, "referral", false)) {
        const std::string rpath = path + ".referral";
        Keys(r, rpath, {"forum_field", "summary_field", "legal_basis"});
        tr.referral = ReferralSpec{String(r, rpath, "forum_field", true),
                                   String(r, rpath, "summary_field", true),
                                   String(r, rpath, "legal_basis", true)};
      }
      def.transitions.push_back(std::move(tr));
    });
    return def;
  }

  void Add(const std::string& path, const std::string& message) {
    problems_.push_back({file_, path, message});
  }

 private:
  Object::Ptr AsObject(const Var& v, const std::string& path) {
    if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>();
    Add(path, "expected an object");
    return nullptr;
  }

  void Keys(const Object::Ptr& obj, const std::string& path,
            std::initializer_list<const char*> allowed) {
    std::set<std::string> known(allowed.begin(), allowed.end());
    for (const auto& [key, value] : *obj) {
      if (!known.count(key)) Add(Join(path, key), "unknown key \"" + key + "\"");
    }
  }

  bool Present(const Object::Ptr& obj, const std::string& path, const std::string& key,
               bool required) {
    if (obj->has(key)) return true;
    if (required) Add(Join(path, key), "missing");
    return false;
  }

  std::string String(const Object::Ptr& obj, const std::string& path, const std::string& key,
                     bool required) {
    if (!Present(obj, path, key, required)) return {};
    Var v = obj->get(key);
    if (!v.isString()) {
      Add(Join(path, key), "expected a string");
      return {};
    }
    return v.extract<std::string>();
  }

  std::optional<bool> Bool(const Object::Ptr& obj, const std::string& path,
                           const std::string& key) {
    if (!obj->has(key)) return std::nullopt;
    Var v = obj->get(key);
    if (!v.isBoolean()) {
      Add(Join(path, key), "expected true or false");
      return std::nullopt;
    }
    return v.extract<bool>();
  }

  std::optional<std::int64_t> Integer(const Object::Ptr& obj, const std::string& path,
                                      const std::string& key, bool required) {
    if (!Present(obj, path, key, required)) return std::nullopt;
    Var v = obj->get(key);
    if (!v.isInteger()) {
      Add(Join(path, key), "expected a whole number");
      return std::nullopt;
    }
    return v.convert<std::int64_t>();
  }

  Object::Ptr ObjectAt(const Object::Ptr& obj, const std::string& path, const std::string& key,
                       bool required) {
    if (!Present(obj, path, key, required)) return nullptr;
    return AsObject(obj->get(key), Join(path, key));
  }

  Array::Ptr ArrayAt(const Object::Ptr& obj, const std::string& path, const std::string& key,
                     bool required) {
    if (!Present(obj, path, key, required)) return nullptr;
    if (!obj->isArray(key)) {
      Add(Join(path, key), "expected a list");
      return nullptr;
    }
    return obj->getArray(key);
  }

  std::vector<std::string> Strings(const Object::Ptr& obj, const std::string& path,
                                   const std::string& key, bool required) {
    std::vector<std::string> out;
    auto array = ArrayAt(obj, path, key, required);
    if (!array) return out;
    for (size_t i = 0; i < array->size(); ++i) {
      Var v = array->get(static_cast<unsigned>(i));
      if (!v.isString()) {
        Add(Indexed(Join(path, key), i), "expected a string");
        continue;
      }
      out.push_back(v.extract<std::string>());
    }
    return out;
  }

  template <typename F>
  void ForEachObject(const Object::Ptr& obj, const std::string& path, const std::string& key,
                     bool required, F&& each) {
    auto array = ArrayAt(obj, path, key, required);
    if (!array) return;
    for (size_t i = 0; i < array->size(); ++i) {
      const std::string item_path = Indexed(Join(path, key), i);
      if (auto item = AsObject(array->get(static_cast<unsigned>(i)), item_path)) {
        each(item, item_path);
      }
    }
  }

  std::vector<FieldSpec> Fields(const Object::Ptr& obj, const std::string& path) {
    std::vector<FieldSpec> fields;
    ForEachObject(obj, path, "fields", false, [&](Object::Ptr f, const std::string& fpath) {
      Keys(f, fpath, {"name", "type", "label", "required", "options", "option_labels", "workflow"});
      FieldSpec spec;
      spec.name = String(f, fpath, "name", true);
      spec.label = String(f, fpath, "label", true);
      spec.required = Bool(f, fpath, "required").value_or(false);
      const std::string type = String(f, fpath, "type", true);
      if (auto t = ParseFieldType(type)) {
        spec.type = *t;
      } else if (f->has("type")) {
        Add(fpath + ".type", "unknown field type \"" + type + "\"");
      }
      spec.options = Strings(f, fpath, "options", false);
      if (auto labels = ObjectAt(f, fpath, "option_labels", false)) {
        for (const auto& [value, label] : *labels) {
          if (!label.isString()) {
            Add(fpath + ".option_labels." + value, "expected a string");
            continue;
          }
          spec.option_labels[value] = label.extract<std::string>();
        }
      }
      spec.workflow = String(f, fpath, "workflow", false);
      fields.push_back(std::move(spec));
    });
    return fields;
  }

  std::vector<GuardCall> Guards(const Object::Ptr& obj, const std::string& path) {
    std::vector<GuardCall> guards;
    ForEachObject(obj, path, "guards", false, [&](Object::Ptr g, const std::string& gpath) {
      Keys(g, gpath, {"name", "params"});
      GuardCall call;
      call.name = String(g, gpath, "name", true);
      if (g->has("params")) {
        auto params = DataFromJson(g->get("params"), gpath + ".params");
        if (params) {
          call.params = std::move(*params);
        } else {
          Add(gpath + ".params", params.error().message);
        }
      }
      guards.push_back(std::move(call));
    });
    return guards;
  }

  DeadlineSpec Deadline(const Object::Ptr& d, const std::string& path) {
    Keys(d, path, {"hours", "days", "workdays", "from_field", "offset_months", "offset_days"});
    DeadlineSpec spec;
    int kinds = 0;
    auto duration = [&](const char* key, DeadlineSpec::Kind kind) {
      if (auto n = Integer(d, path, key, false)) {
        spec.kind = kind;
        spec.amount = static_cast<int>(std::clamp<std::int64_t>(*n, -1, 100000));
        ++kinds;
      }
    };
    duration("hours", DeadlineSpec::Kind::kHours);
    duration("days", DeadlineSpec::Kind::kDays);
    duration("workdays", DeadlineSpec::Kind::kWorkingDays);
    if (d->has("from_field")) {
      spec.kind = DeadlineSpec::Kind::kFromField;
      spec.field = String(d, path, "from_field", true);
      spec.offset_months = static_cast<int>(std::clamp<std::int64_t>(
          Integer(d, path, "offset_months", false).value_or(0), -1200, 1200));
      spec.offset_days = static_cast<int>(std::clamp<std::int64_t>(
          Integer(d, path, "offset_days", false).value_or(0), -36500, 36500));
      ++kinds;
    } else if (d->has("offset_months") || d->has("offset_days")) {
      Add(path, "offsets need \"from_field\"");
    }
    if (kinds != 1) {
      Add(path, "needs exactly one of \"hours\", \"days\", \"workdays\", \"from_field\"");
    }
    return spec;
  }

  std::string file_;
  std::vector<LoadProblem>& problems_;
  size_t initial_count_ = problems_.size();
};

}  // namespace

Result<WorkflowDefinition> ParseWorkflow(const std::string& json_text, const std::string& file,
                                         std::vector<LoadProblem>& problems) {
  Reader reader(file, problems);
  Var root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(json_text);
  } catch (const Poco::Exception& e) {
    reader.Add("", "malformed JSON: " + e.message());
    return MakeError(ErrorCode::kInvalidDefinition, file + ": malformed JSON");
  }
  WorkflowDefinition def = reader.Definition(root);
  if (!reader.failed()) {
    for (auto& p : Validate(def)) reader.Add(p.path, p.message);
  }
  if (reader.failed())
    return MakeError(ErrorCode::kInvalidDefinition, file + ": invalid definition");
  return def;
}

LoadedWorkflows LoadWorkflowDir(const std::filesystem::path& dir) {
  LoadedWorkflows out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    out.problems.push_back({dir.string(), "", "not a directory"});
    return out;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) out.problems.push_back({dir.string(), "", "no workflow definitions (*.json)"});
  for (const auto& path : files) {
    const std::string file = path.filename().string();
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      out.problems.push_back({file, "", "cannot be read"});
      continue;
    }
    auto def = ParseWorkflow(text.str(), file, out.problems);
    if (!def) continue;
    if (def->id + ".json" != file) {
      out.problems.push_back({file, "id", "\"" + def->id + "\" does not match the file name"});
      continue;
    }
    out.source_by_id[def->id] = text.str();
    out.by_id.emplace(def->id, std::move(*def));
  }
  return out;
}

}  // namespace samspil
