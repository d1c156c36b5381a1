// The crawl folder's state (fresh or resumed) and the one-site run: one engine, one SiteCrawl.
#include <filesystem>

#include "crawler/crawl.hpp"
#include "crawler/crawl_engine.hpp"
#include "crawler/url.hpp"

namespace oit {
namespace fs = std::filesystem;

tl::expected<Store, CrawlError> open_crawl_state(CrawlOptions& options) {
  auto homepage = url::normalise_absolute(options.homepage);
  if (!homepage) return tl::unexpected(CrawlError{"bad homepage URL: " + homepage.error(), 1});
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec || !fs::is_directory(options.out_dir))
    return tl::unexpected(CrawlError{"cannot create the output folder " + options.out_dir + ": " +
                                         (ec ? ec.message() : "not a directory"), 1});
  auto store = Store::open((fs::path(options.out_dir) / "crawl.sqlite").string());
  if (!store) return tl::unexpected(CrawlError{store.error(), 1});
  if (options.resume) {
    auto previous = store->meta("homepage");
    if (!previous)
      return tl::unexpected(CrawlError{"--resume: there is no earlier crawl in " + options.out_dir + " to continue", 1});
    if (*previous != *homepage)
      return tl::unexpected(CrawlError{"--resume: " + options.out_dir + " holds a crawl of " + *previous +
                                           ", not of " + *homepage + "; use another --out", 1});
  } else if (auto r = store->reset(); !r) {
    return tl::unexpected(CrawlError{"cannot reset the crawl state in " + options.out_dir + ": " + r.error(), 1});
  }
  options.homepage = *homepage;
  return std::move(*store);
}

tl::expected<CrawlSummary, CrawlError> run_crawl(const CrawlOptions& options) {
  CrawlOptions effective = options;
  auto store = open_crawl_state(effective);
  if (!store) return tl::unexpected(store.error());
  CrawlEngine engine(effective.client, effective.parse_threads, effective.max_in_flight);
  SiteCrawl crawl(engine, effective, *store, 1);
  engine.on_interrupt([&] { crawl.stop("interrupted"); });
  crawl.start([&] { engine.stop(); });
  engine.run();
  return crawl.finish();
}

}  // namespace oit
