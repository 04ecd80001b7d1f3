// ParseDatabaseUrl (database.hpp): the --db URL to the target SOCI's backends take.
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "samspil/adapters/database.hpp"

namespace samspil {

namespace {

// A libpq keyword value, quoted: 'it''s' -> 'it\'s'.
std::string PqQuote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// postgresql://user:pass@host:port/dbname?sslmode=... -> libpq "key=value" form, which is
// what SOCI's PostgreSQL backend passes on unchanged.
Result<std::string> PostgresKeywords(const std::string& url) {
  try {
    Poco::URI uri(url);
    std::string out;
    auto add = [&](const std::string& key, const std::string& value) {
      if (!value.empty()) out += (out.empty() ? "" : " ") + key + "=" + PqQuote(value);
    };
    add("host", uri.getHost());
    if (uri.getPort() != 0) add("port", std::to_string(uri.getPort()));
    std::string path = uri.getPath();
    add("dbname", path.empty() ? "" : path.substr(1));
    const std::string user_info = uri.getUserInfo();
    const auto colon = user_info.find(':');
    std::string user = user_info.substr(0, colon), password;
    if (colon != std::string::npos) password = user_info.substr(colon + 1);
    // getUserInfo() keeps the percent-encoding; decode() appends to its output.
    std::string decoded_user, decoded_password;
    Poco::URI::decode(user, decoded_user);
    Poco::URI::decode(password, decoded_password);
    add("user", decoded_user);
    add("password", decoded_password);
    for (const auto& [key, value] : uri.getQueryParameters()) add(key, value);
    return out;
  } catch (const Poco::Exception&) {
    return MakeError(ErrorCode::kInvalidRequest, "--db: malformed PostgreSQL URL");
  }
}

}  // namespace

Result<DatabaseUrl> ParseDatabaseUrl(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);  // sqlite://PATH is accepted too
    if (path.empty()) return MakeError(ErrorCode::kInvalidRequest, "--db: sqlite: needs a path");
    return DatabaseUrl{DatabaseUrl::Kind::kSqlite, path};
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto keywords = PostgresKeywords(url);
    if (!keywords) return keywords.error();
    return DatabaseUrl{DatabaseUrl::Kind::kPostgresql, *keywords};
  }
  if (url.find('=') != std::string::npos) return DatabaseUrl{DatabaseUrl::Kind::kPostgresql, url};
  return MakeError(ErrorCode::kInvalidRequest,
                   "--db: expected sqlite:PATH or postgresql://user:pass@host:port/dbname");
}
}  // namespace samspil
