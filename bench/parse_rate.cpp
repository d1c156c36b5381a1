// The parser's limit, measured in-process on the same pages the crawl benchmark serves: gumbo
// alone (gumbo_parse + destroy, its default allocator, as any gumbo user would call it) and
// oitcheck's whole per-page work off the network (charset decoding + extract_page). One thread;
// prints one JSON object for bench/run.sh.
//
//   build/oitcheck_parse_rate SITE-DIR [MAX-PAGES]
#include <gumbo.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "crawler/charset.hpp"
#include "crawler/extract.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: oitcheck_parse_rate SITE-DIR [MAX-PAGES]\n");
    return 1;
  }
  size_t max_pages = argc > 2 ? std::stoul(argv[2]) : 3000;
  std::vector<std::pair<std::string, std::string>> pages;  // (url, body)
  size_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(argv[1])) {
    if (pages.size() >= max_pages) break;
    if (!entry.is_regular_file() || entry.path().extension() != ".html") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    bytes += body.str().size();
    pages.emplace_back("http://127.0.0.1/" + fs::relative(entry.path(), argv[1]).string(), body.str());
  }
  if (pages.empty()) {
    std::fprintf(stderr, "oitcheck_parse_rate: no .html files under %s\n", argv[1]);
    return 1;
  }
  using Clock = std::chrono::steady_clock;
  auto time = [&](auto&& per_page) {
    auto start = Clock::now();
    for (const auto& [url, body] : pages) per_page(url, body);
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  size_t sink = 0;  // keeps the optimiser from dropping the work
  double gumbo_s = time([&](const std::string&, const std::string& body) {
    GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, body.data(), body.size());
    sink += out->root->v.element.children.length;
    gumbo_destroy_output(&kGumboDefaultOptions, out);
  });
  double oitcheck_s = time([&](const std::string& url, const std::string& body) {
    auto decoded = oit::charset::to_utf8(body, "text/html");
    sink += oit::extract_page(decoded.utf8, url).links.size();
  });
  double n = static_cast<double>(pages.size());
  std::printf("{\"pages\": %zu, \"mean_kb\": %.1f, \"gumbo_pages_per_s\": %.0f, \"gumbo_ms_per_page\": %.3f, "
              "\"extract_pages_per_s\": %.0f, \"extract_ms_per_page\": %.3f, \"sink\": %zu}\n",
              pages.size(), static_cast<double>(bytes) / n / 1024, n / gumbo_s, 1000 * gumbo_s / n, n / oitcheck_s,
              1000 * oitcheck_s / n, sink);
  return 0;
}
