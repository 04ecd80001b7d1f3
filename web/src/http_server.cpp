#include "samspil/web/http_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

namespace samspil {
namespace {

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// Prometheus counters; cheap enough under one mutex at this request rate.
class Metrics {
 public:
  void CountRequest(const std::string& route, int status) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
  }
  void CountEscalations(int n) { escalations_ += n; }

  std::string Render() {
    std::ostringstream out;
    out << "# HELP samspil_http_requests_total HTTP requests by route and status.\n"
           "# TYPE samspil_http_requests_total counter\n";
    {
      std::lock_guard lock(mutex_);
      for (const auto& [key, count] : requests_) {
        out << "samspil_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
            << "\"} " << count << "\n";
      }
    }
    out << "# HELP samspil_escalations_total Cases escalated by the deadline scan.\n"
           "# TYPE samspil_escalations_total counter\n"
        << "samspil_escalations_total " << escalations_.load() << "\n";
    return out.str();
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, int>, long long> requests_;
  std::atomic<long long> escalations_{0};
};

void SendBody(HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
              const std::string& content_type, const std::string& body) {
  response.setStatus(status);
  response.setContentType(content_type);
  response.set("Cache-Control", "no-store");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.sendBuffer(body.data(), body.size());
}

void SendError(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const char* code,
               const std::string& message) {
  SendBody(response, status, "application/json",
           std::string("{\"error\":{\"code\":\"") + code + "\",\"message\":\"" + message + "\"}}");
}

class RouteHandler final : public HTTPRequestHandler {
 public:
  RouteHandler(Store& store, Metrics& metrics) : store_(store), metrics_(metrics) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    const std::string path = request.getURI().substr(0, request.getURI().find('?'));
    std::string route = "unmatched";
    if (path == "/healthz" && request.getMethod() == "GET") {
      route = "/healthz";
      if (store_.Ping()) {
        SendBody(response, HTTPResponse::HTTP_OK, "application/json", "{\"status\":\"ok\"}");
      } else {
        SendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "unavailable",
                  "the database does not answer");
      }
    } else if (path == "/metrics" && request.getMethod() == "GET") {
      route = "/metrics";
      metrics_.CountRequest(route, 200);  // count this scrape in its own output
      SendBody(response, HTTPResponse::HTTP_OK, "text/plain; version=0.0.4", metrics_.Render());
      return;
    } else {
      SendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found", "no such resource");
    }
    metrics_.CountRequest(route, static_cast<int>(response.getStatus()));
  }

 private:
  Store& store_;
  Metrics& metrics_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(Store& store, Metrics& metrics) : store_(store), metrics_(metrics) {}
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new RouteHandler(store_, metrics_);
  }

 private:
  Store& store_;
  Metrics& metrics_;
};

}  // namespace

struct HttpServer::Impl {
  ServerConfig config;
  Store& store;
  Clock& clock;
  Metrics metrics;
  Poco::ThreadPool pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::thread scanner;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;

  Impl(const ServerConfig& c, Store& s, Clock& clk)
      : config(c),
        store(s),
        clock(clk),
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

HttpServer::HttpServer(const ServerConfig& config, Store& store, const LoadedWorkflows&,
                       Clock& clock, IdSource&)
    : impl_(std::make_unique<Impl>(config, store, clock)) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(impl_->config.host, impl_->config.port),
                                   128);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(static_cast<int>(impl_->config.threads));
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        new Factory(impl_->store, impl_->metrics), impl_->pool, socket, params);
    impl_->server->start();
  } catch (const Poco::Exception& e) {
    return MakeError(ErrorCode::kInternal, "cannot listen on " + impl_->config.host + ":" +
                                               std::to_string(impl_->config.port) + ": " +
                                               e.displayText());
  }
  impl_->scanner = std::thread([this] { impl_->ScanLoop(); });
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
               Clock& clock, IdSource& ids) {
  // Block the signals before any thread starts, so that only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  HttpServer server(config, store, workflows, clock, ids);
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
