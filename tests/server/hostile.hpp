// Misbehaving responses for the hostile-site tests, switched on per route in a fixture's
// _server.json with "hostile": NAME and "amount": N:
//   drip        a valid response whose N-byte body trickles at one byte a second
//   endless     a body that never ends (no length, 64 KiB chunks forever)
//   silent      reads the request and never answers
//   reset       N bytes of body, then a TCP reset
//   http10      HTTP/1.0, no Content-Length, the body ends when the connection closes
//   big         an N-byte HTML page, streamed
//   many_links  an HTML page with N links
//   deep        an HTML page nested N elements deep
// (Compression bombs need no behaviour: a fixture file served with a Content-Encoding header.)
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <string>

namespace oit::testing {

boost::asio::awaitable<void> serve_hostile(boost::asio::ip::tcp::socket& socket, const std::string& behaviour, long amount);

}  // namespace oit::testing
