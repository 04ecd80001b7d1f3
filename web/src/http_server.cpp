#include "samspil/web/http_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "samspil/adapters/case_service.hpp"
#include "samspil/web/web_ui.hpp"

namespace samspil {
namespace {

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

void Send(HTTPServerResponse& response, const ApiResponse& r) {
  // With its standard reason phrase ("404 Not Found", not "404 OK").
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status));
  if (!r.content_type.empty()) response.setContentType(r.content_type);
  // Case data must not linger in caches; a response that may be cached says so itself.
  response.set("Cache-Control", "no-store");
  for (const auto& [name, value] : SecurityHeaders()) response.set(name, value);
  for (const auto& [name, value] : r.headers) {
    if (name == "Set-Cookie") {
      response.add(name, value);
    } else {
      response.set(name, value);
    }
  }
  response.setContentLength(static_cast<std::streamsize>(r.body.size()));
  response.sendBuffer(r.body.data(), r.body.size());
}

// Reads at most kMaxBodyBytes; nullopt if the body is larger. A request with neither a
// Content-Length nor chunked encoding has no body (RFC 9112 §6.3); reading one anyway
// would wait for the client to close the connection.
std::optional<std::string> ReadBody(HTTPServerRequest& request) {
  std::string body;
  if (!request.hasContentLength() && !request.getChunkedTransferEncoding()) return body;
  std::istream& in = request.stream();
  char buffer[16384];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    body.append(buffer, static_cast<size_t>(in.gcount()));
    if (body.size() > kMaxBodyBytes) return std::nullopt;
  }
  return body;
}

// After a 413 the client may still be sending its body. Closing at once would reset the
// connection under it and it would never read the answer; so read and discard what comes,
// bounded in bytes and time (a lingering close).
void DrainBody(HTTPServerRequest& request) {
  constexpr size_t kDrainLimit = 64 * 1024 * 1024;
  static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().setReceiveTimeout(
      Poco::Timespan(2, 0));
  std::istream& in = request.stream();
  char buffer[65536];
  size_t drained = 0;
  try {
    while (drained < kDrainLimit && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) {
      drained += static_cast<size_t>(in.gcount());
    }
  } catch (const Poco::Exception&) {
    // a timeout or a reset: the client has stopped sending
  }
}

class ApiHandler final : public HTTPRequestHandler {
 public:
  ApiHandler(Api& api, const WebUi& ui, Metrics& metrics) : api_(api), ui_(ui), metrics_(metrics) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    const auto started = std::chrono::steady_clock::now();
    // Without it, a response written in two pieces waits ~40 ms for the client's delayed ACK.
    static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().setNoDelay(true);
    ApiRequest r;
    r.method = request.getMethod();
    std::string route = "unmatched";
    ApiResponse out;
    try {
      Poco::URI uri(request.getURI());
      r.path = uri.getPath();
      for (const auto& [key, value] : uri.getQueryParameters()) r.query[key] = value;
      r.authorization = request.get("Authorization", "");
      r.csrf_token = request.get(kCsrfHeader, "");
      Poco::Net::NameValueCollection cookies;
      request.getCookies(cookies);
      r.cookie = cookies.get(kSessionCookie, "");
      r.client_address = request.clientAddress().host().toString();
      const bool too_large =
          request.hasContentLength() &&
          request.getContentLength64() > static_cast<Poco::Int64>(kMaxBodyBytes);
      std::optional<std::string> body;
      if (!too_large) body = ReadBody(request);
      std::optional<ApiResponse> page;
      if (!r.path.starts_with("/api/")) {
        page = ui_.Serve(r.method, r.path, request.get("If-None-Match", ""));
      }
      if (page) {
        route = "ui";
        out = std::move(*page);
      } else if (too_large || !body) {
        out = ErrorResponse(MakeError(ErrorCode::kPayloadTooLarge, "the body is over 1 MiB"));
        response.setKeepAlive(false);  // the unread rest of the body cannot be skipped
      } else {
        r.body = std::move(*body);
        out = api_.Handle(r, route);
      }
    } catch (const Poco::Exception& e) {
      spdlog::warn("malformed request: {}", e.className());
      out = ErrorResponse(MakeError(ErrorCode::kInvalidRequest, "malformed request"));
    }
    Send(response, out);
    if (out.status == 413) DrainBody(request);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.ObserveRequest(r.method, route, out.status, seconds);
  }

 private:
  Api& api_;
  const WebUi& ui_;
  Metrics& metrics_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(Api& api, Metrics& metrics) : api_(api), metrics_(metrics) {}
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new ApiHandler(api_, ui_, metrics_);
  }

 private:
  Api& api_;
  const WebUi ui_;
  Metrics& metrics_;
};

}  // namespace

struct HttpServer::Impl {
  ServerConfig config;
  Api& api;
  Store& store;
  Clock& clock;
  Metrics& metrics;
  Poco::ThreadPool pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::thread scanner;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;

  Impl(const ServerConfig& c, Api& a, Store& s, Clock& clk, Metrics& m)
      : config(c),
        api(a),
        store(s),
        clock(clk),
        metrics(m),
        pool(2, static_cast<int>(std::max<size_t>(2, c.threads))) {}

  void ScanLoop() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      lock.unlock();
      auto escalated = store.EscalateOverdue(clock.Now());
      if (escalated) metrics.CountEscalations(*escalated);
      lock.lock();
      wake.wait_for(lock, config.escalation_interval, [&] { return stopping; });
    }
  }
};

HttpServer::HttpServer(const ServerConfig& config, Api& api, Store& store, Clock& clock,
                       Metrics& metrics)
    : impl_(std::make_unique<Impl>(config, api, store, clock, metrics)) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(impl_->config.host, impl_->config.port),
                                   256);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(static_cast<int>(impl_->config.threads));
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited
    params->setKeepAliveTimeout(Poco::Timespan(10, 0));
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        new Factory(impl_->api, impl_->metrics), impl_->pool, socket, params);
    impl_->server->start();
  } catch (const Poco::Exception& e) {
    return MakeError(ErrorCode::kInternal, "cannot listen on " + impl_->config.host + ":" +
                                               std::to_string(impl_->config.port) + ": " +
                                               e.displayText());
  }
  if (impl_->config.scan_deadlines) {
    impl_->stopping = false;
    impl_->scanner = std::thread([this] { impl_->ScanLoop(); });
  }
  return {};
}

void HttpServer::Stop() {
  if (!impl_->server) return;
  impl_->server->stop();  // stop accepting
  for (int i = 0; i < 100 && impl_->server->currentConnections() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let in-flight requests finish
  }
  impl_->server->stopAll(true);
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->scanner.joinable()) impl_->scanner.join();
  impl_->pool.joinAll();
  impl_->server.reset();
}

std::uint16_t HttpServer::port() const {
  return impl_->server ? impl_->server->port() : impl_->config.port;
}

bool RunServer(const ServerConfig& config, Store& store, const LoadedWorkflows& workflows,
               Clock& clock, IdSource& ids, const PasswordHasher& hasher) {
  // Block the signals before any thread starts, so that only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  CaseService cases(store, workflows.by_id, clock, ids);
  Metrics metrics;
  Api api(store, cases, hasher, clock, metrics);
  HttpServer server(config, api, store, clock, metrics);
  if (auto st = server.Start(); !st) {
    spdlog::error("{}", st.error().message);
    return false;
  }
  spdlog::info("samspil listening on http://{}:{}", config.host, server.port());
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("signal {} received, shutting down", received);
  server.Stop();
  spdlog::info("stopped");
  return true;
}

}  // namespace samspil
