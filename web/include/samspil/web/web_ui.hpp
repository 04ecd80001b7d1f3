// The web UI's static files (web/ui/, embedded in the binary at build time) and the
// headers every response carries. Independent of the HTTP library, like Api.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "samspil/web/api.hpp"

namespace samspil {

struct EmbeddedAsset {
  std::string_view path;  // "/index.html", "/assets/app.js"
  std::string_view bytes;
};

// Generated from web/ui/ by cmake/EmbedAssets.cmake.
const std::vector<EmbeddedAsset>& EmbeddedAssets();

// The security headers of every response (the UI's pages in particular): no inline
// script or style, nothing from another origin, never framed, no referrer.
const std::vector<std::pair<std::string, std::string>>& SecurityHeaders();

class WebUi {
 public:
  explicit WebUi(const std::vector<EmbeddedAsset>& assets = EmbeddedAssets());

  // A GET or HEAD for the UI: a page address (answered with index.html; the page's
  // script draws it) or a file under /assets/. nullopt when the path is not the UI's.
  // `if_none_match` is the request's If-None-Match header (a matching ETag gives 304).
  std::optional<ApiResponse> Serve(const std::string& method, const std::string& path,
                                   const std::string& if_none_match) const;

  // The page addresses index.html answers for (docs/ui.md).
  static bool IsPagePath(const std::string& path);

 private:
  struct File {
    std::string_view bytes;
    std::string content_type;
    std::string etag;
  };
  std::vector<std::pair<std::string, File>> files_;
  const File* Find(const std::string& path) const;
};

}  // namespace samspil
