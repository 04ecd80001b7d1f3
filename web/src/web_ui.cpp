#include "samspil/web/web_ui.hpp"

#include <algorithm>

#include "samspil/adapters/ids.hpp"

namespace samspil {

const std::vector<std::pair<std::string, std::string>>& SecurityHeaders() {
  static const std::vector<std::pair<std::string, std::string>> kHeaders = {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},  // for browsers that predate frame-ancestors
      {"Referrer-Policy", "no-referrer"},
  };
  return kHeaders;
}

namespace {

std::string ContentTypeOf(std::string_view path) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  if (ends_with(".png")) return "image/png";
  if (ends_with(".json")) return "application/json";
  return "application/octet-stream";
}

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

WebUi::WebUi(const std::vector<EmbeddedAsset>& assets) {
  for (const auto& a : assets) {
    File f{a.bytes, ContentTypeOf(a.path),
           "\"" + Sha256Hex(std::string(a.bytes)).substr(0, 32) + "\""};
    files_.emplace_back(std::string(a.path), std::move(f));
  }
}

const WebUi::File* WebUi::Find(const std::string& path) const {
  auto it = std::find_if(files_.begin(), files_.end(),
                         [&](const auto& entry) { return entry.first == path; });
  return it == files_.end() ? nullptr : &it->second;
}

bool WebUi::IsPagePath(const std::string& path) {
  static const std::vector<std::string> kPages = {"/", "/login", "/sager", "/opret",
                                                  "/eskaleringer", "/overblik"};
  if (std::find(kPages.begin(), kPages.end(), path) != kPages.end()) return true;
  // /sager/{id}: one more segment
  return StartsWith(path, "/sager/") && path.size() > 7 &&
         path.find('/', 7) == std::string::npos;
}

std::optional<ApiResponse> WebUi::Serve(const std::string& method, const std::string& path,
                                        const std::string& if_none_match) const {
  if (method != "GET" && method != "HEAD") return std::nullopt;
  const File* file = nullptr;
  if (IsPagePath(path)) {
    file = Find("/index.html");
  } else if (StartsWith(path, "/assets/")) {
    file = Find(path);
    if (!file) return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such file"));
  }
  if (!file) return std::nullopt;
  ApiResponse r;
  // Revalidated on every use: a new build's UI is picked up at once, an unchanged one
  // costs a 304 and no body.
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("ETag", file->etag);
  if (if_none_match == file->etag) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.status = 200;
  r.content_type = file->content_type;
  r.body = std::string(file->bytes);  // Poco sends no body for HEAD, but the right length
  return r;
}

}  // namespace samspil
