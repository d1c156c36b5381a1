// The contract with libcurl (curl docs/examples/multi-uv.c and ephiperfifo.c):
//  * the socket and timer callbacks only arm, re-arm or cancel Asio waits (or post one for "now");
//  * only the event loop calls curl_multi_socket_action;
//  * on CURL_POLL_REMOVE the descriptor is released from Asio, never closed (curl closes it);
//  * per-socket state is shared with the pending waits, so it outlives them.
#include "crawler/http_client.hpp"

#include <curl/curl.h>

#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "crawler/content_coding.hpp"

namespace oit {
namespace asio = boost::asio;

namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool is_html_type(const char* content_type) {
  if (!content_type) return true;  // unknown: look at it, the parser copes with anything
  std::string_view ct(content_type);
  return ct.find("html") != std::string_view::npos;
}

// Loopback, RFC 1918, link-local, CGNAT, "this network", IPv6 ULA and link-local, and
// IPv4-mapped forms of those.
bool is_private(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    uint32_t a = ntohl(reinterpret_cast<const sockaddr_in*>(sa)->sin_addr.s_addr);
    return (a >> 24) == 10 || (a >> 24) == 127 || (a >> 24) == 0 || (a >> 20) == (172u << 4 | 1) ||
           (a >> 16) == (192u << 8 | 168) || (a >> 16) == (169u << 8 | 254) || (a >> 22) == (100u << 2 | 1);
  }
  if (sa->sa_family == AF_INET6) {
    const auto* a6 = reinterpret_cast<const sockaddr_in6*>(sa);
    const uint8_t* b = a6->sin6_addr.s6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr) || IN6_IS_ADDR_UNSPECIFIED(&a6->sin6_addr)) return true;
    if ((b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
      sockaddr_in v4{};
      v4.sin_family = AF_INET;
      std::memcpy(&v4.sin_addr, b + 12, 4);
      return is_private(reinterpret_cast<const sockaddr*>(&v4));
    }
  }
  return false;
}

std::string address_text(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  else if (sa->sa_family == AF_INET6) inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  return buf;
}

std::string header_value(CURL* easy, const char* name) {
  struct curl_header* h = nullptr;
  if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) == CURLHE_OK && h && h->value) return h->value;
  return "";
}

}  // namespace

struct HttpClient::Impl {
  struct Transfer {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    FetchRequest request;
    FetchResult result;
    Callback done;
    bool type_checked = false;
    bool stopped_on_purpose = false;
    content_coding::Coding coding = content_coding::Coding::identity;
    std::string unasked_coding;  // a Content-Encoding other than the gzip we ask for
    std::string refused_address;  // --deny-private refused to connect here
    const ClientOptions* options = nullptr;
    char error_buffer[CURL_ERROR_SIZE] = {};
  };

  // One socket curl asked us to watch. Pending waits hold a shared_ptr to it.
  struct Watch {
    Watch(asio::io_context& io, curl_socket_t s) : fd(s), descriptor(io, s) {}
    curl_socket_t fd;
    asio::posix::stream_descriptor descriptor;
    int wanted = 0;            // CURL_POLL_IN / OUT / INOUT
    unsigned generation = 0;   // bumped when the wanted events change; older waits are stale
    bool read_pending = false;
    bool write_pending = false;
    bool removed = false;
  };

  Impl(asio::io_context& io_, ClientOptions opts) : io(io_), options(std::move(opts)), timer(io_) {
    global_init_once();
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, options.max_total_connections);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, options.max_total_connections);
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    for (const auto& entry : options.resolve) resolve_list = curl_slist_append(resolve_list, entry.c_str());
  }

  ~Impl() {
    abort_all();
    for (auto& [fd, watch] : watches) {
      watch->removed = true;
      watch->descriptor.release();
    }
    watches.clear();
    timer.cancel();
    // Closing cached connections must not call back into a half-destroyed client.
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, nullptr);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, nullptr);
    curl_multi_cleanup(multi);
    curl_slist_free_all(resolve_list);
  }

  // ---- curl callbacks: they only arm or cancel waits ----

  static int on_socket(CURL*, curl_socket_t s, int what, void* userp, void* socketp) {
    auto* self = static_cast<Impl*>(userp);
    if (what == CURL_POLL_REMOVE) {
      if (socketp) self->forget(s);
      return 0;
    }
    std::shared_ptr<Watch> w;
    if (auto it = self->watches.find(s); it != self->watches.end()) {
      w = it->second;
    } else {
      w = std::make_shared<Watch>(self->io, s);
      self->watches.emplace(s, w);
      curl_multi_assign(self->multi, s, w.get());
    }
    if (w->wanted != what) {
      w->wanted = what;
      ++w->generation;
      w->descriptor.cancel();
      w->read_pending = w->write_pending = false;
    }
    self->arm(w);
    return 0;
  }

  // curl replaces its one timeout about twice per transfer (25,000 times on a 13,000-URL
  // crawl), and re-arming the Asio timer is a timerfd_settime each time. So the deadline is
  // kept here, "now" is posted rather than timed, and the timer moves only when the deadline
  // comes earlier than it; a timer that fires before the deadline just waits again.
  static int on_timer(CURLM*, long timeout_ms, void* userp) {
    auto* self = static_cast<Impl*>(userp);
    if (timeout_ms < 0) {
      self->curl_deadline.reset();
      return 0;
    }
    self->curl_deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    if (timeout_ms == 0) {
      if (!self->timeout_posted) {
        self->timeout_posted = true;
        asio::post(self->io, [self, alive = std::weak_ptr<void>(self->alive)] {
          if (alive.expired()) return;
          self->timeout_posted = false;
          self->run_due_timeout();
        });
      }
    } else if (!self->timer_armed || self->timer.expiry() > *self->curl_deadline + kTimerSlack) {
      self->arm_timer(*self->curl_deadline);
    }
    return 0;
  }

  // Called after DNS, before connect: the only place the real address is known.
  static curl_socket_t on_open_socket(void* userp, curlsocktype, curl_sockaddr* address) {
    auto* t = static_cast<Transfer*>(userp);
    const sockaddr* sa = &address->addr;
    if (t->options->deny_private && is_private(sa)) {
      std::string text = address_text(sa);
      const auto& allowed = t->options->allowed_private;
      if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
        t->refused_address = text;
        return CURL_SOCKET_BAD;
      }
    }
    // CLOEXEC: a notification command run later must not inherit the crawler's connections.
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  }

  static size_t on_body(char* data, size_t size, size_t count, void* userp) {
    auto* t = static_cast<Transfer*>(userp);
    size_t len = size * count;
    if (!t->type_checked) {
      t->type_checked = true;
      char* ct = nullptr;
      curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ct);
      if (!t->request.keep_non_html_body && !is_html_type(ct)) {
        t->result.body_skipped = true;
        t->stopped_on_purpose = true;
        return 0;  // aborts the transfer: we know what it is, its bytes are not needed
      }
      std::string encoding = header_value(t->easy, "Content-Encoding");
      t->coding = content_coding::coding_of(encoding);
      if (t->coding == content_coding::Coding::unsupported) {
        t->unasked_coding = encoding;
        t->stopped_on_purpose = true;
        return 0;  // bytes we could not read: not downloaded
      }
    }
    std::string& body = t->result.body;
    size_t room = t->request.max_body_bytes > body.size() ? t->request.max_body_bytes - body.size() : 0;
    if (len > room) {
      body.append(data, room);
      t->result.truncated = true;
      t->stopped_on_purpose = true;
      return 0;
    }
    body.append(data, len);
    return len;
  }

  // ---- the loop side ----

  void arm(const std::shared_ptr<Watch>& w) {
    if ((w->wanted & CURL_POLL_IN) && !w->read_pending) wait(w, true);
    if ((w->wanted & CURL_POLL_OUT) && !w->write_pending) wait(w, false);
  }

  void wait(const std::shared_ptr<Watch>& w, bool for_read) {
    (for_read ? w->read_pending : w->write_pending) = true;
    unsigned generation = w->generation;
    auto kind = for_read ? asio::posix::descriptor_base::wait_read : asio::posix::descriptor_base::wait_write;
    w->descriptor.async_wait(kind, [this, w, for_read, generation, alive = std::weak_ptr<void>(alive)](
                                       const boost::system::error_code& ec) {
      if (alive.expired() || generation != w->generation) return;  // superseded
      (for_read ? w->read_pending : w->write_pending) = false;
      if (ec || w->removed) return;
      socket_action(w->fd, for_read ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
      if (!w->removed && generation == w->generation) arm(w);
    });
  }

  void forget(curl_socket_t s) {
    auto it = watches.find(s);
    if (it == watches.end()) return;
    auto w = it->second;
    watches.erase(it);
    w->removed = true;
    ++w->generation;
    w->descriptor.release();  // cancels its waits; curl owns and closes the descriptor
    curl_multi_assign(multi, s, nullptr);
  }

  using Clock = asio::steady_timer::clock_type;
  // curl counts in whole milliseconds: a timer due within one of the deadline is not moved.
  static constexpr std::chrono::milliseconds kTimerSlack{1};

  void arm_timer(Clock::time_point at) {
    timer_armed = true;
    timer.expires_at(at);  // cancels a pending wait, whose handler then does nothing
    timer.async_wait([this, alive = std::weak_ptr<void>(alive)](const boost::system::error_code& ec) {
      if (ec || alive.expired()) return;
      timer_armed = false;
      if (curl_deadline && Clock::now() < *curl_deadline) {
        arm_timer(*curl_deadline);
        return;
      }
      run_due_timeout();
    });
  }

  void run_due_timeout() {
    if (!curl_deadline || Clock::now() < *curl_deadline) return;
    curl_deadline.reset();
    socket_action(CURL_SOCKET_TIMEOUT, 0);
  }

  void socket_action(curl_socket_t s, int events) {
    int running = 0;
    curl_multi_socket_action(multi, s, events, &running);
    collect_finished();
  }

  void collect_finished() {
    CURLMsg* msg;
    int left = 0;
    while ((msg = curl_multi_info_read(multi, &left))) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      CURLcode code = msg->data.result;
      Transfer* t = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
      finish(*t, code);
      curl_multi_remove_handle(multi, easy);
      auto node = transfers.extract(easy);
      // Run the callback from the loop, not from inside libcurl's bookkeeping.
      asio::post(io, [t = std::move(node.mapped()), alive = std::weak_ptr<void>(alive)]() mutable {
        if (alive.expired()) return;
        t->done(std::move(t->result));
      });
    }
  }

  void finish(Transfer& t, CURLcode code) {
    FetchResult& r = t.result;
    bool on_purpose = code == CURLE_WRITE_ERROR && t.stopped_on_purpose;
    r.curl_code = on_purpose ? 0 : static_cast<int>(code);
    if (r.curl_code != 0) r.error = t.error_buffer[0] ? t.error_buffer : curl_easy_strerror(code);
    if (!t.refused_address.empty())
      r.error = "refused to connect to " + t.refused_address + ", a private address (--deny-private)";
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &r.status);
    char* ct = nullptr;
    if (curl_easy_getinfo(t.easy, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) r.content_type = ct;
    char* redirect = nullptr;
    if (curl_easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK && redirect)
      r.redirect_url = redirect;
    curl_off_t length = -1;
    curl_easy_getinfo(t.easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    r.content_length = length;
    curl_off_t micros = 0;
    curl_easy_getinfo(t.easy, CURLINFO_TOTAL_TIME_T, &micros);
    r.seconds = static_cast<double>(micros) / 1e6;
    if (r.status >= 300 && r.status < 400) r.location = header_value(t.easy, "Location");
    if (r.status == 429 || r.status == 503) r.retry_after = header_value(t.easy, "Retry-After");
    // Only a 2xx body is content: a redirect or an error page with an unreadable body keeps
    // its status (and a redirect its target), without the body.
    bool body_is_content = r.status >= 200 && r.status < 300;
    if (!t.unasked_coding.empty()) {
      if (body_is_content) {
        r.curl_code = CURLE_BAD_CONTENT_ENCODING;
        r.error = "the server sent the body with Content-Encoding: " + t.unasked_coding +
                  ", which was not asked for (only gzip is accepted)";
      }
    } else if (t.coding == content_coding::Coding::gzip && !r.body.empty()) {
      // A body cut at --max-bytes or by a dropped connection ends mid-stream: not damaged.
      bool complete = r.curl_code == 0 && !r.truncated;
      auto inflated = content_coding::gunzip(r.body, t.request.max_body_bytes, complete);
      r.body = std::move(inflated.body);
      r.truncated = r.truncated || inflated.truncated;
      if (inflated.damaged && r.curl_code == 0 && body_is_content) {
        r.curl_code = CURLE_BAD_CONTENT_ENCODING;
        r.error = "the body is not the gzip data its Content-Encoding header says (damaged or cut short)";
      }
    }
  }

  void fetch(FetchRequest request, Callback done) {
    std::unique_ptr<Transfer, TransferDeleter> t(new Transfer);
    t->request = std::move(request);
    t->result.url = t->request.url;
    t->done = std::move(done);
    t->options = &options;
    CURL* e = t->easy = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, t->request.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error_buffer);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);  // content_coding decodes whole bodies, faster
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);    // redirects are edges the crawler records
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, options.timeout_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, options.low_speed_seconds);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, 600L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Impl::on_open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t.get());
    if (resolve_list) curl_easy_setopt(e, CURLOPT_RESOLVE, resolve_list);
    if (!options.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options.ca_file.c_str());
    if (options.insecure) {
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    t->headers = curl_slist_append(t->headers, "Accept: text/html,application/xhtml+xml,*/*;q=0.8");
    t->headers = curl_slist_append(t->headers, "Accept-Language: th,en;q=0.8");
    t->headers = curl_slist_append(t->headers, content_coding::kAcceptEncoding);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    transfers.emplace(e, std::move(t));
    curl_multi_add_handle(multi, e);
  }

  void abort_all() {
    for (auto& [easy, t] : transfers) curl_multi_remove_handle(multi, easy);
    transfers.clear();
  }

  size_t abort(uint64_t owner) {
    size_t dropped = 0;
    for (auto it = transfers.begin(); it != transfers.end();) {
      if (it->second->request.owner != owner) {
        ++it;
        continue;
      }
      curl_multi_remove_handle(multi, it->first);
      it = transfers.erase(it);
      ++dropped;
    }
    return dropped;
  }

  struct TransferDeleter {
    void operator()(Transfer* t) const {
      curl_easy_cleanup(t->easy);
      curl_slist_free_all(t->headers);
      delete t;
    }
  };

  asio::io_context& io;
  ClientOptions options;
  asio::steady_timer timer;
  std::optional<Clock::time_point> curl_deadline;  // when curl wants CURL_SOCKET_TIMEOUT; none: no timeout
  bool timer_armed = false;
  bool timeout_posted = false;
  CURLM* multi = nullptr;
  curl_slist* resolve_list = nullptr;
  std::unordered_map<curl_socket_t, std::shared_ptr<Watch>> watches;
  std::unordered_map<CURL*, std::unique_ptr<Transfer, TransferDeleter>> transfers;
  // Handlers still queued in the io_context check this before touching the client.
  std::shared_ptr<int> alive = std::make_shared<int>(0);
};

HttpClient::HttpClient(asio::io_context& io, ClientOptions options)
    : impl_(std::make_unique<Impl>(io, std::move(options))) {}

HttpClient::~HttpClient() = default;

void HttpClient::fetch(FetchRequest request, Callback done) { impl_->fetch(std::move(request), std::move(done)); }

size_t HttpClient::in_flight() const { return impl_->transfers.size(); }

void HttpClient::abort_all() { impl_->abort_all(); }

size_t HttpClient::abort(uint64_t owner) { return impl_->abort(owner); }

}  // namespace oit
