#include "tests/server/fixture_server.hpp"

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <type_traits>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "crawler/strings.hpp"
#include "tests/server/hostile.hpp"

namespace oit::testing {
namespace asio = boost::asio;
namespace fs = std::filesystem;
using asio::ip::tcp;

namespace {

struct Route {
  int status = 0;
  std::string location, content_type, body;
  bool has_body = false;
  int delay_ms = 0;
  bool prefix = false;    // also matches every path below the key
  // "calendar": a page linking to ?month=N+1, forever; "hops": /p/K -> /p/K+1;
  // "fanout": /p/K links to `amount` new pages; "sessions": a fresh session id (and parameter
  // order, and a doubly escaped &amp;) in every link
  std::string generate;
  std::string hostile;    // a misbehaviour from tests/server/hostile.hpp
  long amount = 0;        // its size; for "fail_first", how many requests get `status` first
  int head_status = 0;    // answer HEAD requests with this status (GET still works)
  std::map<std::string, std::string> headers;
};

struct Site {
  fs::path root;
  std::map<std::string, Route> routes;
};

Site load_site(const std::string& dir) {
  Site site{fs::path(dir), {}};
  std::ifstream in(site.root / "_server.json");
  if (!in) return site;
  auto doc = nlohmann::json::parse(in);
  const nlohmann::json routes = doc.value("routes", nlohmann::json::object());
  for (auto& [path, spec] : routes.items()) {
    Route r;
    r.status = spec.value("status", 0);
    r.location = spec.value("location", "");
    r.content_type = spec.value("content_type", "");
    r.has_body = spec.contains("body");
    r.body = spec.value("body", "");
    r.delay_ms = spec.value("delay_ms", 0);
    r.prefix = spec.value("prefix", false);
    r.generate = spec.value("generate", "");
    r.hostile = spec.value("hostile", "");
    r.amount = spec.value("amount", 0L);
    r.head_status = spec.value("head_status", 0);
    const nlohmann::json headers = spec.value("headers", nlohmann::json::object());
    for (auto& [k, v] : headers.items()) r.headers[k] = v.get<std::string>();
    site.routes[path] = r;
  }
  return site;
}

std::string type_for(const fs::path& p) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"}, {".htm", "text/html; charset=utf-8"},
      {".php", "text/html; charset=utf-8"},  {".aspx", "text/html; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"}, {".xml", "application/xml"},
      {".pdf", "application/pdf"},           {".doc", "application/msword"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".xls", "application/vnd.ms-excel"},  {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".jpg", "image/jpeg"},                {".png", "image/png"},
      {".css", "text/css"},                  {".js", "application/javascript"},
      {".json", "application/json"}};
  auto it = types.find(p.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

}  // namespace

struct FixtureServer::Impl {
  uint16_t port = 0;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread thread;
  Site default_site;
  std::map<std::string, Site> sites;  // by host name, lower case, no port
  mutable std::mutex log_mutex;
  std::vector<std::string> log;
  std::mutex state_mutex;                // guards `failures`
  std::map<std::string, long> failures;  // "fail_first" routes: requests answered with an error so far
  std::atomic<int>* delay_ms = nullptr;

  const Site& site_for(const std::string& host_header) const {
    std::string host = host_header.substr(0, host_header.rfind(':'));
    for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = sites.find(host);
    return it == sites.end() ? default_site : it->second;
  }

  static const Route* find_route(const Site& site, const std::string& target) {
    std::string path = target.substr(0, target.find('?'));
    if (auto it = site.routes.find(target); it != site.routes.end()) return &it->second;
    if (auto it = site.routes.find(path); it != site.routes.end()) return &it->second;
    const Route* route = nullptr;
    for (size_t longest = 0; auto& [key, r] : site.routes)
      if (r.prefix && path.rfind(key, 0) == 0 && key.size() > longest) {
        route = &r;
        longest = key.size();
      }
    return route;
  }

  // Builds the whole response for one request (status line, headers, body).
  std::string respond(const std::string& method, const std::string& target, const std::string& host, int& delay) {
    const Site& site = site_for(host);
    std::string path = target.substr(0, target.find('?'));
    const Route* route = find_route(site, target);
    if (route && route->hostile == "fail_first" && ++failures[host + target] > route->amount) route = nullptr;

    int status = 200;
    std::string body, type, extra;
    if (route) {
      delay += route->delay_ms;
      for (auto& [k, v] : route->headers) extra += k + ": " + v + "\r\n";
      if (!route->location.empty()) {
        extra += "Location: " + route->location + "\r\n";
        status = route->status ? route->status : 302;
      }
      if (route->status) status = route->status;
      type = route->content_type;
      if (route->has_body) body = route->body;
      if (route->generate == "hops") {  // /hop/K redirects to /hop/K+1 until `amount`, then a page
        long k = std::strtol(path.c_str() + path.rfind('/') + 1, nullptr, 10);
        if (k < route->amount) {
          status = 302;
          extra += "Location: " + path.substr(0, path.rfind('/') + 1) + std::to_string(k + 1) + "\r\n";
        } else {
          body = "<html><head><title>Hop " + std::to_string(k) + "</title></head><body>end</body></html>";
        }
      }
      if (route->generate == "fanout") {  // /fan/K links to /fan/K*N+1 .. /fan/K*N+N: N^depth URLs
        long k = std::strtol(path.c_str() + path.rfind('/') + 1, nullptr, 10);
        body = "<html><head><title>Fan " + std::to_string(k) + "</title></head><body>";
        for (long i = 1; i <= route->amount; ++i)
          body += "<a href=\"" + std::to_string(k * route->amount + i) + "\">" + std::to_string(i) + "</a>\n";
        body += "</body></html>";
      }
      if (route->generate == "sessions") {  // every link carries a fresh session id, parameters shuffled
        static long session = 0;
        ++session;
        body = "<html><head><title>Session</title></head><body><a href=\"?sid=" + std::to_string(session) +
               "&page=1\">next</a> <a href=\"?page=1&sid=" + std::to_string(session) + "x\">next</a> "
               "<a href=\"?a=1&amp;amp;b=" + std::to_string(session) + "\">escaped twice</a></body></html>";
      }
      if (route->generate == "calendar") {
        auto at = target.find("month=");
        long month = at == std::string::npos ? 0 : std::strtol(target.c_str() + at + 6, nullptr, 10);
        body = "<html><head><title>Calendar " + std::to_string(month) + "</title></head><body><a href=\"?month=" +
               std::to_string(month + 1) + "\">next month</a></body></html>";
      }
    }
    if (!route || (!route->has_body && route->generate.empty() && route->location.empty() && status < 300)) {
      std::string decoded = strings::percent_decode(path);  // /%E0%B8%81.html names a Thai file
      fs::path file = site.root / fs::path(decoded).relative_path();
      bool hidden = decoded.find("/_") != std::string::npos || decoded.find("..") != std::string::npos;
      if (!hidden && fs::is_directory(file)) file /= "index.html";
      if (!hidden && fs::is_regular_file(file)) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        body = ss.str();
        if (type.empty()) type = type_for(file);
      } else if (!route) {
        status = 404;
        body = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>";
        type = "text/html; charset=utf-8";
      }
    }
    if (type.empty()) type = "text/html; charset=utf-8";
    // Fixtures write absolute links to themselves as {{PORT}} or {{HOST}} (the Host header):
    // both are only known now.
    for (std::string* text : {&body, &extra}) {
      replace_all(*text, "{{PORT}}", std::to_string(port));
      replace_all(*text, "{{HOST}}", host);
    }
    if (method == "HEAD" && route && route->head_status) status = route->head_status;
    std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n" +
                       "Content-Type: " + type + "\r\n" + "Content-Length: " + std::to_string(body.size()) +
                       "\r\n" + extra + "\r\n";
    return method == "HEAD" ? head : head + body;
  }

  // One connection: plain (tcp::socket) or TLS (ssl::stream); hostile behaviours are plain only.
  template <class Stream>
  asio::awaitable<void> session(Stream socket) {
    asio::streambuf buffer(64 * 1024);
    try {
      for (;;) {
        co_await asio::async_read_until(socket, buffer, "\r\n\r\n", asio::use_awaitable);
        std::istream in(&buffer);
        std::string method, target, version, line, host;
        in >> method >> target >> version;
        std::getline(in, line);
        bool close = version == "HTTP/1.0";
        while (std::getline(in, line) && line != "\r") {
          auto colon = line.find(':');
          if (colon == std::string::npos) continue;
          std::string key = line.substr(0, colon);
          for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          std::string value = line.substr(colon + 1);
          while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
          if (!value.empty() && value.back() == '\r') value.pop_back();
          if (key == "host") host = value;
          if (key == "connection" && value == "close") close = true;
        }
        {
          std::lock_guard lock(log_mutex);
          log.push_back(host.substr(0, host.rfind(':')) + target);
        }
        const Route* route = find_route(site_for(host), target);
        if constexpr (std::is_same_v<Stream, tcp::socket>) {
          if (route && !route->hostile.empty() && route->hostile != "fail_first") {
            co_await serve_hostile(socket, route->hostile, route->amount);
            co_return;
          }
        }
        int delay = delay_ms->load();
        std::string response;
        {
          std::lock_guard lock(state_mutex);
          response = respond(method, target, host, delay);
        }
        if (delay > 0) {
          asio::steady_timer timer(socket.get_executor(), std::chrono::milliseconds(delay));
          co_await timer.async_wait(asio::use_awaitable);
        }
        co_await asio::async_write(socket, asio::buffer(response), asio::use_awaitable);
        if (close) break;
      }
    } catch (const std::exception&) {
      // The client went away or sent something unreadable: drop the connection.
    }
    boost::system::error_code ignored;
    socket.lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      if (tls) asio::co_spawn(io, tls_session(std::move(socket)), asio::detached);
      else asio::co_spawn(io, session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> tls_session(tcp::socket socket) {
    asio::ssl::stream<tcp::socket> stream(std::move(socket), *tls);
    boost::system::error_code ec;
    co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // the client refused our certificate: that is what TLS tests look for
    co_await session(std::move(stream));
  }

  std::optional<asio::ssl::context> tls;
};

FixtureServer::FixtureServer(std::string default_site) : impl_(std::make_unique<Impl>()) {
  impl_->default_site = load_site(default_site);
  impl_->delay_ms = &delay_ms_;
}

FixtureServer::~FixtureServer() { stop(); }

void FixtureServer::add_site(const std::string& host, const std::string& site_dir) {
  impl_->sites[host] = load_site(site_dir);
}

void FixtureServer::start_tls(const std::string& cert_chain_pem, const std::string& key_pem, uint16_t port) {
  impl_->tls.emplace(asio::ssl::context::tls_server);
  impl_->tls->use_certificate_chain_file(cert_chain_pem);
  impl_->tls->use_private_key_file(key_pem, asio::ssl::context::pem);
  start(port);
}

void FixtureServer::start(uint16_t port) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  // A test that restarts a site on the port it had: another test's client socket, running in
  // parallel, may hold that port for a moment. Wait for it (up to 5 s) rather than fail.
  boost::system::error_code bound;
  for (int attempt = 0;; ++attempt) {
    impl_->acceptor.bind(endpoint, bound);
    if (!bound || port == 0 || attempt == 250) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (bound) throw boost::system::system_error(bound, "fixture server: bind 127.0.0.1:" + std::to_string(port));
  impl_->acceptor.listen();
  port_ = impl_->port = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

void FixtureServer::stop() {
  if (!impl_->thread.joinable()) return;
  impl_->io.stop();
  impl_->thread.join();
}

std::vector<std::string> FixtureServer::requests() const {
  std::lock_guard lock(impl_->log_mutex);
  return impl_->log;
}

size_t FixtureServer::request_count(const std::string& host_and_target) const {
  std::lock_guard lock(impl_->log_mutex);
  return static_cast<size_t>(std::count(impl_->log.begin(), impl_->log.end(), host_and_target));
}

}  // namespace oit::testing
