// The crawler's only network I/O: libcurl's multi_socket interface driven by a Boost.Asio
// io_context. Every request ends in exactly one FetchResult (a 404, a timeout or a refused
// scheme is a value, never an exception).
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace oit {

struct ClientOptions {
  std::string user_agent;
  long connect_timeout_ms = 10000;
  long timeout_ms = 30000;          // whole transfer
  long low_speed_seconds = 15;      // abort a transfer slower than 1 byte/s for this long
  long max_host_connections = 4;    // per host, enforced by libcurl
  long max_total_connections = 64;
  std::vector<std::string> resolve;  // "host:port:address" entries, as curl --resolve
  bool insecure = false;             // skip TLS verification (the user asked, loudly)
  std::string ca_file;               // trust these CAs instead of the system's (PEM)
  // Refuse loopback, private, link-local and carrier-grade NAT addresses after DNS resolution
  // (for use as a shared service), except the addresses listed.
  bool deny_private = false;
  std::vector<std::string> allowed_private;
};

struct FetchRequest {
  std::string url;
  size_t max_body_bytes = 5 * 1024 * 1024;  // HTML beyond this is cut, not swallowed
  // Bodies of non-HTML responses (PDF, images, ...) are not downloaded: the transfer stops
  // once the headers say what the resource is.
  bool keep_non_html_body = false;
  // Who asked (one site of a fleet): abort(owner) drops only that site's transfers.
  uint64_t owner = 0;
};

struct FetchResult {
  std::string url;           // as requested
  long status = 0;           // HTTP status; 0 when no response arrived
  int curl_code = 0;         // CURLcode; 0 on success (also when we stopped reading on purpose)
  std::string error;         // readable error when the transfer failed
  std::string content_type;  // header value as sent
  std::string redirect_url;  // absolute target of a 3xx, as libcurl resolved Location
  std::string location;      // raw Location header (kept when it could not be resolved)
  std::string retry_after;   // raw Retry-After header of a 429/503
  std::string body;          // up to max_body_bytes, decoded from gzip
  bool truncated = false;    // body cut at max_body_bytes
  bool body_skipped = false; // not HTML: we stopped after the headers
  int64_t content_length = -1;
  double seconds = 0;
  bool ok() const { return curl_code == 0; }
};

class HttpClient {
 public:
  using Callback = std::function<void(FetchResult)>;

  HttpClient(boost::asio::io_context& io, ClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Starts a transfer; `done` runs later on the io_context's thread, exactly once, unless
  // abort_all() is called first.
  void fetch(FetchRequest request, Callback done);
  size_t in_flight() const;
  // Drops every transfer without calling its callback (Ctrl-C, time budget).
  void abort_all();
  // Drops the transfers of one owner without calling their callbacks; returns how many.
  size_t abort(uint64_t owner);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oit
