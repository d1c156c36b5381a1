// What every crawl of a run shares: one io_context (the network loop), one HttpClient with the
// global connection cap, the parse thread pool, and Ctrl-C. One site's crawl or a fleet of them
// runs on it; each site keeps its own frontier (politeness per host) and its own state.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include <deque>
#include <functional>
#include <optional>
#include <unordered_set>

#include "crawler/http_client.hpp"
#include "crawler/thread_name.hpp"

namespace oit {

class CrawlEngine {
 public:
  // max_in_flight: requests of all sites together; parse_threads 0 = one per core.
  CrawlEngine(const ClientOptions& client, unsigned parse_threads, size_t max_in_flight);
  ~CrawlEngine();
  CrawlEngine(const CrawlEngine&) = delete;
  CrawlEngine& operator=(const CrawlEngine&) = delete;

  boost::asio::io_context& io() { return io_; }
  // A request may start: a connection is free, and parsed pages waiting for a thread (each
  // holding its body) are few. Both bounds are for all sites together.
  bool has_slot() const { return client_.in_flight() < max_in_flight_ && parsing_ < kMaxParseBacklog; }
  size_t in_flight() const { return client_.in_flight(); }
  // Starts a request (the caller checked has_slot()); `done` runs on the loop.
  void fetch(FetchRequest request, HttpClient::Callback done);
  // The global cap is full: `wake` runs on the loop when a slot frees, once per registration.
  // Owners wait in turn, so a big site cannot starve the small ones.
  void when_slot_frees(uint64_t owner, std::function<void()> wake);
  size_t abort(uint64_t owner) { return client_.abort(owner); }
  // A finished site leaves the queue of waiters.
  void forget(uint64_t owner);
  // Runs `work` on the parse pool (never on the loop). Called on the loop; the caller calls
  // parse_finished() on the loop when the result is back.
  template <class Work>
  void parse(Work&& work) {
    ++parsing_;
    boost::asio::post(parse_pool_, [work = std::forward<Work>(work)]() mutable {
      thread_local bool named = (name_this_thread("oit-parse"), true);
      (void)named;
      work();
    });
  }
  void parse_finished();
  // Ctrl-C / SIGTERM call this once, on the loop.
  void on_interrupt(std::function<void()> handler) { interrupt_ = std::move(handler); }
  // Runs the loop until stop(); the loop never runs out of work on its own.
  void run();
  void stop();

 private:
  void wake_one_waiter();
  static bool schedule_as_batch_work();

  // First, so that the threads started below (and later by the crawls) inherit it.
  [[maybe_unused]] bool batch_work_ = schedule_as_batch_work();
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> keep_running_;
  HttpClient client_;
  boost::asio::thread_pool parse_pool_;
  boost::asio::signal_set signals_;
  size_t max_in_flight_;
  static constexpr size_t kMaxParseBacklog = 64;
  size_t parsing_ = 0;
  std::deque<std::pair<uint64_t, std::function<void()>>> waiters_;
  std::unordered_set<uint64_t> waiting_owners_;
  std::function<void()> interrupt_;
};

}  // namespace oit
