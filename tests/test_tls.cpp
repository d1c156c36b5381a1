// TLS as government sites get it wrong: self-signed, expired, missing intermediate. Each is one
// clear finding; --insecure checks the site anyway and says so loudly.
#include <doctest/doctest.h>

#include "tests/support.hpp"

using namespace oit::testing;

namespace {

struct TlsSite {
  FixtureServer server{fixture("crawl-cases")};
  std::string port, home;
  explicit TlsSite(const std::string& cert) {
    server.start_tls(fixture("tls/" + cert + ".pem"), fixture("tls/" + cert + ".key"));
    port = std::to_string(server.port());
    home = "https://localhost:" + port + "/final.html";
  }
  CommandResult crawl(std::vector<std::string> extra = {}) {
    TempDir out;
    std::vector<std::string> args = {"crawl", home, "--out", out.path(), "--cacert", fixture("tls/root.pem"),
                                     "--resolve", "localhost:" + port + ":127.0.0.1"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_oitcheck(args);
  }
};

}  // namespace

TEST_CASE("TLS: a correct chain verifies") {
  TlsSite site("good-chain");
  auto r = site.crawl();
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("complete: every page") != std::string::npos);
}

TEST_CASE("TLS: self-signed, expired and missing-intermediate certificates are each one clear finding") {
  for (std::string cert : {"self-signed", "expired", "leaf-only"}) {
    CAPTURE(cert);
    TlsSite site(cert);
    auto r = site.crawl();
    CHECK(r.exit_code == 1);
    CHECK(r.err.rfind("oitcheck: cannot fetch the homepage " + site.home + ": SSL certificate problem: ", 0) == 0);
    CHECK(r.err.find("--insecure") != std::string::npos);
    std::string why = cert == "self-signed" ? "self-signed certificate"
                      : cert == "expired"   ? "certificate has expired"
                                            : "unable to get local issuer certificate";
    CHECK(r.err.find(why) != std::string::npos);
  }
}

TEST_CASE("TLS: --insecure checks the site anyway and says loudly that it is on") {
  TlsSite site("self-signed");
  auto r = site.crawl({"--insecure"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("WARNING: --insecure is on") != std::string::npos);
  CHECK(r.out.find("WARNING: TLS certificates were NOT verified (--insecure)") != std::string::npos);
}
