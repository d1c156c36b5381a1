// A small real HTTP/1.1 server on 127.0.0.1 (Boost.Asio) that serves fixture sites from
// folders. Used by the tests and by `oitcheck demo`. Odd behaviour (latency, status codes,
// redirects, charsets, extra headers) is data in the site's `_server.json`:
//
//   { "routes": { "/old": {"status": 301, "location": "/new"},
//                 "/slow.html": {"delay_ms": 3000},
//                 "/legacy.html": {"content_type": "text/html; charset=tis-620"},
//                 "/boom": {"status": 500, "body": "oops"} } }
//
// Files and folders whose names start with "_" are never served.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace oit::testing {

class FixtureServer {
 public:
  // Serves `default_site` for any Host header not added with add_site().
  explicit FixtureServer(std::string default_site);
  ~FixtureServer();
  FixtureServer(const FixtureServer&) = delete;
  FixtureServer& operator=(const FixtureServer&) = delete;

  // Name-based virtual hosting: requests whose Host is `host` are served from `site_dir`.
  void add_site(const std::string& host, const std::string& site_dir);
  // Added latency before every response, in milliseconds.
  void set_delay_ms(int ms) { delay_ms_ = ms; }

  // Binds 127.0.0.1:`port` (0 = any free port) and serves on a background thread.
  void start(uint16_t port = 0);
  // The same over TLS with the given certificate chain and key (PEM files).
  void start_tls(const std::string& cert_chain_pem, const std::string& key_pem, uint16_t port = 0);
  void stop();
  uint16_t port() const { return port_; }

  // Every request target seen so far ("host/path?query"), in arrival order.
  std::vector<std::string> requests() const;
  size_t request_count(const std::string& host_and_target) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<int> delay_ms_{0};
  uint16_t port_ = 0;
};

}  // namespace oit::testing
