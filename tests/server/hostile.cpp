#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it
#include "tests/server/hostile.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>


namespace oit::testing {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::string header(const std::string& status_line, const std::string& extra) {
  return status_line + "\r\nContent-Type: text/html; charset=utf-8\r\n" + extra + "\r\n";
}

asio::awaitable<void> pause(tcp::socket& socket, std::chrono::milliseconds d) {
  asio::steady_timer t(socket.get_executor(), d);
  co_await t.async_wait(asio::use_awaitable);
}

}  // namespace

asio::awaitable<void> serve_hostile(tcp::socket& socket, const std::string& behaviour, long amount) {
  auto send = [&](const std::string& bytes) { return asio::async_write(socket, asio::buffer(bytes), asio::use_awaitable); };
  if (behaviour == "silent") {
    co_await pause(socket, std::chrono::hours(1));
  } else if (behaviour == "drip") {
    co_await send(header("HTTP/1.1 200 OK", "Content-Length: " + std::to_string(amount) + "\r\n"));
    for (long i = 0; i < amount; ++i) {
      co_await send("x");
      co_await pause(socket, std::chrono::seconds(1));
    }
  } else if (behaviour == "endless") {
    co_await send(header("HTTP/1.1 200 OK", "Connection: close\r\n") + "<html><body>");
    std::string chunk(64 * 1024, 'a');
    for (;;) co_await send(chunk);
  } else if (behaviour == "reset") {
    co_await send(header("HTTP/1.1 200 OK", "Content-Length: " + std::to_string(amount * 10) + "\r\n") +
                  std::string(static_cast<size_t>(amount), 'a'));
    socket.set_option(tcp::socket::linger(true, 0));  // close now sends RST, not FIN
    socket.close();
  } else if (behaviour == "http10") {
    co_await send("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html><head><title>Old server</title></head>"
                  "<body><a href=\"/final.html\">onwards</a></body></html>");
    socket.close();
  } else if (behaviour == "big") {
    co_await send(header("HTTP/1.1 200 OK", "Content-Length: " + std::to_string(amount) + "\r\n"));
    std::string chunk = "<p>" + std::string(64 * 1024 - 7, 'b') + "</p>";
    for (long sent = 0; sent < amount; sent += static_cast<long>(chunk.size()))
      co_await send(chunk.substr(0, static_cast<size_t>(std::min<long>(static_cast<long>(chunk.size()), amount - sent))));
  } else if (behaviour == "many_links" || behaviour == "deep") {
    std::string body = "<html><head><title>" + behaviour + "</title></head><body>";
    for (long i = 0; i < amount; ++i)
      // Many links, few targets: the fragments all resolve to one page, so the parser is
      // what is tested, not 100,000 fetches.
      body += behaviour == "deep" ? "<div>" : "<a href=\"/final.html#" + std::to_string(i) + "\">" + std::to_string(i) + "</a>";
    body += "<a href=\"/final.html\">the end</a></body></html>";
    co_await send(header("HTTP/1.1 200 OK", "Content-Length: " + std::to_string(body.size()) + "\r\n") + body);
  }
  boost::system::error_code ignored;
  socket.close(ignored);
}

}  // namespace oit::testing
