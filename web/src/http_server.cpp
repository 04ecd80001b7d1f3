#include "samspil/web/http_server.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>

#include "samspil/web/forwarded.hpp"
#include "samspil/web/web_ui.hpp"

namespace samspil {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

// Headers of a request, all fields together. Browsers send 1–2 KiB; a cookie-laden one 8.
constexpr std::uint32_t kHeaderLimit = 32 * 1024;
// After a 413 the client may still be sending its body; closing at once would reset the
// connection under it and it would never read the answer. So read and discard what comes,
// bounded in bytes and time (a lingering close).
constexpr std::size_t kDrainLimit = 64 * 1024 * 1024;
constexpr auto kDrainTime = std::chrono::seconds{2};
// Mozilla's "intermediate" TLS 1.2 suites: forward secrecy and AEAD only. TLS 1.3's own
// suites are all strong and stay OpenSSL's default.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384";

ApiResponse TransportError(int status, const std::string& message) {
  ApiResponse r = ErrorResponse(MakeError(ErrorCode::kInvalidRequest, message));
  r.status = status;  // 400 or 431: the request never reached the API
  return r;
}

// What a worker produces from a complete request: the answer, and whether the connection
// may carry another request.
struct Reply {
  ApiResponse response;
  bool head = false;  // the answer has the body's length but no body
};

}  // namespace

struct HttpServer::Impl {
  ServerConfig config;
  Api& api;
  Store& store;
  Clock& clock;
  Metrics& metrics;
  const WebUi ui;
  TrustedProxies proxies;

  // Declared before the io_context: the connections its pending handlers own refer to
  // these while the io_context destroys them.
  std::atomic<size_t> connections{0};
  std::atomic<size_t> in_flight{0};
  std::optional<asio::ssl::context> tls;

  asio::io_context io;
  std::optional<tcp::acceptor> acceptor;
  asio::steady_timer accept_retry{io};
  std::unique_ptr<asio::thread_pool> workers;
  std::vector<std::thread> io_threads;
  std::atomic<bool> accepting{false};
  std::uint16_t bound_port = 0;

  std::thread scanner;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;

  Impl(const ServerConfig& c, Api& a, Store& s, Clock& clk, Metrics& m)
      : config(c), api(a), store(s), clock(clk), metrics(m) {}

  void Accept();
  template <class Stream>
  void Serve(std::shared_ptr<Stream> stream, bool tls);

  // Runs on a worker: the request, complete, in; the answer out.
  Reply Handle(const http::request<http::string_body>& req, const ClientOrigin& origin);

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

namespace {

// One connection: reads a request under its deadlines, hands it to a worker, writes the
// answer from the event loop, and goes round again while the client keeps it alive.
// `Stream` is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>; all its handlers
// run on the connection's strand.
template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Connection(HttpServer::Impl& server, Stream stream, std::string peer)
      : server_(server), stream_(std::move(stream)), peer_(std::move(peer)) {}
  ~Connection() { --server_.connections; }

  void Start() {
    if constexpr (kTls) {
      Lowest().expires_after(server_.config.header_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->Close();
                                self->NextRequest();
                              });
    } else {
      NextRequest();
    }
  }

 private:
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void NextRequest() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kMaxBodyBytes);
    if (buffer_.size() > 0) return ReadHeader();  // pipelined: the next request is here
    // A kept-alive connection waits with a small buffer, whatever its last body needed.
    if (buffer_.capacity() > 16384) buffer_.shrink_to_fit();
    // Nothing yet: a new connection gets the header deadline, a kept-alive one the idle
    // timeout, for its first byte.
    Lowest().expires_after(served_ == 0 ? server_.config.header_timeout
                                        : server_.config.idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(1024),  // grown as the header needs; an idle connection holds 1 KiB
        [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
          if (ec) return self->Close();
          self->buffer_.commit(n);
          self->ReadHeader();
        });
  }

  void ReadHeader() {
    // The whole header within header_timeout of its first byte, however slowly it trickles.
    Lowest().expires_after(server_.config.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->OnHeader(ec);
                            });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      return Refuse(TransportError(431, "the request's headers are too large"));
    }
    if (ec == http::error::body_limit) {  // its Content-Length is over the limit
      return Refuse(ErrorResponse(MakeError(ErrorCode::kPayloadTooLarge, "the body is over 1 MiB")),
                    /*drain=*/true);
    }
    if (ec == beast::error::timeout || ec == http::error::end_of_stream ||
        ec == asio::error::eof || ec == asio::error::connection_reset) {
      return Close();
    }
    if (ec) {
      // Content-Length together with chunked, two different lengths, a broken line...: an
      // ambiguous length is how requests are smuggled past a proxy, so answer and close.
      return Refuse(TransportError(400, "malformed request"));
    }
    const auto& header = parser_->get();
    const auto transfer_encoding = header.find(http::field::transfer_encoding);
    if (transfer_encoding != header.end() && !parser_->chunked()) {
      return Refuse(TransportError(400, "unsupported transfer encoding"));
    }
    if (parser_->is_done()) return Dispatch();
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      // curl and others wait for this before they send a body over 1 KiB.
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      Lowest().expires_after(server_.config.write_timeout);
      return asio::async_write(
          stream_, asio::buffer(kContinue),
          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->Close();
            self->ReadBody();
          });
    }
    ReadBody();
  }

  void ReadBody() {
    Lowest().expires_after(server_.config.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec == http::error::body_limit) {
                         return self->Refuse(ErrorResponse(MakeError(
                                                 ErrorCode::kPayloadTooLarge,
                                                 "the body is over 1 MiB")),
                                             /*drain=*/true);
                       }
                       if (ec == beast::error::timeout) {
                         return self->Refuse(TransportError(408, "the body came too slowly"));
                       }
                       if (ec) return self->Close();
                       self->Dispatch();
                     });
  }

  // The request is complete: a worker answers it; the loop goes on with other connections.
  void Dispatch() {
    Lowest().expires_never();
    auto request = std::make_shared<http::request<http::string_body>>(parser_->release());
    keep_alive_ = request->keep_alive();
    const ClientOrigin origin = server_.proxies.Resolve(
        peer_, kTls, std::string((*request)["X-Forwarded-For"]),
        std::string((*request)["X-Forwarded-Proto"]));
    ++server_.in_flight;
    asio::post(*server_.workers, [self = this->shared_from_this(), request, origin] {
      Reply reply = self->server_.Handle(*request, origin);
      --self->server_.in_flight;
      asio::post(self->stream_.get_executor(), [self, reply = std::move(reply)]() mutable {
        self->Write(std::move(reply), false);
      });
    });
  }

  // Answers a request the API never saw, then closes: what follows it on the connection
  // cannot be trusted to start where this one ended.
  void Refuse(ApiResponse response, bool drain = false) {
    keep_alive_ = false;
    server_.metrics.ObserveRequest("other", "unmatched", response.status, 0);
    Write(Reply{std::move(response), false}, drain);
  }

  void Write(Reply reply, bool drain) {
    ++served_;
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(reply.response.status));
    if (!reply.response.content_type.empty()) {
      res->set(http::field::content_type, reply.response.content_type);
    }
    // Case data must not linger in caches; a response that may be cached says so itself.
    res->set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : SecurityHeaders()) res->set(name, value);
    for (const auto& [name, value] : reply.response.headers) {
      if (name == "Set-Cookie") {
        res->insert(name, value);
      } else {
        res->set(name, value);
      }
    }
    res->keep_alive(keep_alive_);
    if (reply.head) {
      res->content_length(reply.response.body.size());  // the length, without the body
    } else {
      res->body() = std::move(reply.response.body);
      res->prepare_payload();
    }
    Lowest().expires_after(server_.config.write_timeout);
    http::async_write(stream_, *res,
                      [self = this->shared_from_this(), res, drain](beast::error_code ec,
                                                                    std::size_t) {
                        if (ec) return self->Close();
                        if (drain) return self->Drain();
                        if (!self->keep_alive_) return self->Close();
                        self->NextRequest();
                      });
  }

  void Drain() {
    Lowest().expires_after(kDrainTime);
    DrainSome();
  }
  void DrainSome() {
    stream_.async_read_some(
        asio::buffer(discard_),
        [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
          self->drained_ += n;
          if (ec || self->drained_ >= kDrainLimit) return self->Close();
          self->DrainSome();
        });
  }

  void Close() {
    beast::error_code ignored;
    if constexpr (kTls) {
      // close_notify, briefly: a client that does not answer it is not waited for.
      Lowest().expires_after(std::chrono::seconds{1});
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ignored;
        self->Lowest().socket().close(ignored);
      });
    } else {
      Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
      Lowest().socket().close(ignored);
    }
  }

  HttpServer::Impl& server_;
  Stream stream_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = true;
  std::size_t served_ = 0;
  std::size_t drained_ = 0;
  std::array<char, 16384> discard_;
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor->async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (!accepting) return;
    if (ec) {
      // Out of descriptors or memory: back off instead of spinning on the same error.
      spdlog::warn("accept failed: {}", ec.message());
      accept_retry.expires_after(std::chrono::milliseconds{100});
      accept_retry.async_wait([this](beast::error_code) {
        if (accepting) Accept();
      });
      return;
    }
    if (connections.load() >= config.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);  // full: closed at once, never queued behind others
    } else {
      ++connections;
      beast::error_code peer_ec;
      const auto endpoint = socket.remote_endpoint(peer_ec);
      std::string peer = peer_ec ? "" : endpoint.address().to_string();
      // Without it, a response written in two pieces waits ~40 ms for the client's delayed ACK.
      socket.set_option(tcp::no_delay(true), peer_ec);
      beast::tcp_stream stream(std::move(socket));
      if (tls) {
        using TlsStream = beast::ssl_stream<beast::tcp_stream>;
        std::make_shared<Connection<TlsStream>>(*this, TlsStream(std::move(stream), *tls),
                                                std::move(peer))
            ->Start();
      } else {
        std::make_shared<Connection<beast::tcp_stream>>(*this, std::move(stream), std::move(peer))
            ->Start();
      }
    }
    Accept();
  });
}

Reply HttpServer::Impl::Handle(const http::request<http::string_body>& req,
                               const ClientOrigin& origin) {
  const auto started = SteadyClock::now();
  ApiRequest r;
  r.method = std::string(req.method_string());
  r.client_address = origin.address;
  r.secure = origin.secure;
  std::string route = "unmatched";
  ApiResponse out;
  try {
    Poco::URI uri(std::string(req.target()));
    r.path = uri.getPath();
    for (const auto& [key, value] : uri.getQueryParameters()) r.query[key] = value;
    r.authorization = std::string(req[http::field::authorization]);
    r.csrf_token = std::string(req[kCsrfHeader]);
    r.cookie = [&] {
      // Cookie: a=1; samspil_session=...; b=2 (RFC 6265 §5.4), possibly over several fields.
      const std::string wanted = std::string(kSessionCookie) + "=";
      const auto [first_field, last_field] = req.equal_range(http::field::cookie);
      for (auto field = first_field; field != last_field; ++field) {
        const std::string value(field->value());
        size_t start = 0;
        while (start < value.size()) {
          size_t end = value.find(';', start);
          if (end == std::string::npos) end = value.size();
          size_t first = value.find_first_not_of(' ', start);
          if (first < end && value.compare(first, wanted.size(), wanted) == 0) {
            return value.substr(first + wanted.size(), end - first - wanted.size());
          }
          start = end + 1;
        }
      }
      return std::string();
    }();
    std::optional<ApiResponse> page;
    if (!r.path.starts_with("/api/")) {
      page = ui.Serve(r.method, r.path, std::string(req[http::field::if_none_match]));
    }
    if (page) {
      route = "ui";
      out = std::move(*page);
    } else {
      r.body = req.body();
      out = api.Handle(r, route);
    }
  } catch (const Poco::Exception& e) {
    spdlog::warn("malformed request: {}", e.className());
    out = ErrorResponse(MakeError(ErrorCode::kInvalidRequest, "malformed request"));
  }
  // HSTS on every answer over HTTPS, the API's and the UI's (here only: neither adds it): a
  // browser that has seen it never tries plain HTTP again (RFC 6797). Over plain HTTP a
  // browser ignores it, so it is not sent.
  if (r.secure) out.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  metrics.ObserveRequest(r.method, route, out.status,
                         std::chrono::duration<double>(SteadyClock::now() - started).count());
  return Reply{std::move(out), req.method() == http::verb::head};
}

HttpServer::HttpServer(const ServerConfig& config, Api& api, Store& store, Clock& clock,
                       Metrics& metrics)
    : impl_(std::make_unique<Impl>(config, api, store, clock, metrics)) {}

HttpServer::~HttpServer() { Stop(); }

namespace {

// Each connection is a descriptor: the soft limit (often 1,024) would refuse accepts long
// before max_connections. Raise it towards the hard limit, and say so if that is not enough.
void RaiseDescriptorLimit(size_t max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(max_connections) + 256;
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < wanted) {
    spdlog::warn("open-file limit {} is below max_connections {} + 256", limit.rlim_cur,
                 max_connections);
  }
}

Result<asio::ssl::context> TlsContext(const ServerConfig& config) {
  asio::ssl::context context(asio::ssl::context::tls_server);
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use |
                      asio::ssl::context::no_compression);
  SSL_CTX* native = context.native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(native, kTls12Ciphers);
  SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  beast::error_code ec;
  context.use_certificate_chain_file(config.tls_cert, ec);
  if (ec) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "--tls-cert " + config.tls_cert + ": " + ec.message());
  }
  context.use_private_key_file(config.tls_key, asio::ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(native) != 1) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "--tls-key " + config.tls_key + ": " +
                         (ec ? ec.message() : "does not match the certificate"));
  }
  return context;
}

}  // namespace

Status HttpServer::Start() {
  Impl& s = *impl_;
  auto proxies = TrustedProxies::Parse(s.config.trusted_proxies);
  if (!proxies) return MakeError(ErrorCode::kInvalidRequest, "--trusted-proxy: " + proxies.error().message);
  s.proxies = std::move(*proxies);
  if (!s.config.tls_cert.empty() || !s.config.tls_key.empty()) {
    if (s.config.tls_cert.empty() || s.config.tls_key.empty()) {
      return MakeError(ErrorCode::kInvalidRequest, "--tls-cert and --tls-key go together");
    }
    auto context = TlsContext(s.config);
    if (!context) return context.error();
    s.tls.emplace(std::move(*context));
  }
  RaiseDescriptorLimit(s.config.max_connections);
  try {
    tcp::resolver resolver(s.io);
    const tcp::endpoint endpoint =
        resolver.resolve(s.config.host, std::to_string(s.config.port))->endpoint();
    s.acceptor.emplace(s.io);
    s.acceptor->open(endpoint.protocol());
    s.acceptor->set_option(asio::socket_base::reuse_address(true));
    s.acceptor->bind(endpoint);
    s.acceptor->listen(asio::socket_base::max_listen_connections);
    s.bound_port = s.acceptor->local_endpoint().port();
  } catch (const std::exception& e) {
    s.acceptor.reset();
    return MakeError(ErrorCode::kInternal, "cannot listen on " + s.config.host + ":" +
                                               std::to_string(s.config.port) + ": " + e.what());
  }
  s.workers = std::make_unique<asio::thread_pool>(std::max<size_t>(1, s.config.threads));
  s.accepting = true;
  s.Accept();
  for (size_t i = 0; i < std::max<size_t>(1, s.config.io_threads); ++i) {
    s.io_threads.emplace_back([&s] { s.io.run(); });
  }
  if (s.config.scan_deadlines) {
    s.stopping = false;
    s.scanner = std::thread([&s] { s.ScanLoop(); });
  }
  return {};
}

void HttpServer::Stop() {
  Impl& s = *impl_;
  if (!s.acceptor) return;
  s.accepting = false;
  asio::post(s.io, [&s] {
    beast::error_code ignored;
    s.acceptor->close(ignored);
    s.accept_retry.cancel();
  });
  // Let in-flight requests finish and their answers go out.
  for (int i = 0; i < 100 && s.in_flight.load() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  s.workers->join();
  s.io.stop();
  for (auto& t : s.io_threads) t.join();
  s.io_threads.clear();
  {
    std::lock_guard lock(s.mutex);
    s.stopping = true;
  }
  s.wake.notify_all();
  if (s.scanner.joinable()) s.scanner.join();
  s.acceptor.reset();
}

std::uint16_t HttpServer::port() const {
  return impl_->acceptor ? impl_->bound_port : impl_->config.port;
}

size_t HttpServer::open_connections() const { return impl_->connections.load(); }

namespace {

sigset_t ShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void BlockShutdownSignals() {
  const sigset_t signals = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

bool HttpServer::ServeUntilSignal() {
  const ServerConfig& config = impl_->config;
  if (auto st = Start(); !st) {
    spdlog::error("{}", st.error().message);
    return false;
  }
  spdlog::info("samspil listening on {}://{}:{}", config.tls_cert.empty() ? "http" : "https",
               config.host, port());
  const sigset_t signals = ShutdownSignals();
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("signal {} received, shutting down", received);
  Stop();
  spdlog::info("stopped");
  return true;
}

}  // namespace samspil
