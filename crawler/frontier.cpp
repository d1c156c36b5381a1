#include "crawler/frontier.hpp"

#include <algorithm>

#include "crawler/url.hpp"

namespace oit {

const char* to_string(Admission a) {
  switch (a) {
    case Admission::queued: return "queued";
    case Admission::seen: return "seen";
    case Admission::too_deep: return "max-depth";
    case Admission::trap: return "trap-guard";
    case Admission::page_limit: return "max-pages";
  }
  return "queued";
}

bool Frontier::trap(const std::string& u) {
  if (u.size() > options_.max_url_length) return true;
  std::string pq = url::path_and_query(u);
  auto qpos = pq.find('?');
  std::string_view path = std::string_view(pq).substr(0, qpos);

  // Ever-growing paths: too many segments, or one segment repeated (/a/a/a/..., /x/y/x/y/...).
  std::unordered_map<std::string_view, size_t> counts;
  size_t segments = 0;
  for (size_t start = 1; start <= path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) {
      ++segments;
      if (++counts[path.substr(start, end - start)] > options_.max_segment_repeats) return true;
    }
    start = end + 1;
  }
  if (segments > options_.max_path_segments) return true;

  // Endless query spaces (calendars, session ids, sort orders): cap distinct queries per path.
  if (qpos != std::string::npos) {
    std::string key = url::origin_of(u) + std::string(path);
    if (++query_variants_[key] > options_.max_query_variants) return true;
  }
  return false;
}

Frontier::Origin& Frontier::origin_for(const std::string& key, bool external) {
  auto [it, inserted] = origins_.try_emplace(key);
  Origin& o = it->second;
  if (inserted) {
    o.external = external;
    o.robots_state = (external || !options_.obey_robots) ? RobotsState::known : RobotsState::unknown;
    o.min_interval_s = options_.rate_per_host > 0 ? 1.0 / options_.rate_per_host : 0;
  }
  return o;
}

Admission Frontier::offer(UrlId id, const std::string& u, int depth, bool external) {
  if (int* seen = seen_depth(id)) {
    // A URL first met too deep may turn up again within reach; only then is it new.
    bool was_too_deep = *seen > options_.max_depth;
    if (!was_too_deep || depth >= *seen) return Admission::seen;
    *seen = depth;
  }
  // From here on the URL is new, or was seen deeper and now has `depth`.
  if (!external && depth > options_.max_depth) {
    set_seen_depth(id, depth);
    ++limits_hit_["max-depth"];
    return Admission::too_deep;
  }
  if (trap(u)) {
    set_seen_depth(id, depth);
    ++limits_hit_["trap-guard"];
    return Admission::trap;
  }
  if (!external && pages_admitted_ >= options_.max_pages) {
    ++limits_hit_["max-pages"];
    return Admission::page_limit;  // not marked seen: a resumed crawl with a higher bound takes it
  }
  set_seen_depth(id, depth);
  if (!external) ++pages_admitted_;
  std::string key = url::origin_of(u);
  Origin& o = origin_for(key, external);
  o.by_depth[depth].push_back(Job{id, u, depth, external ? Job::Kind::external : Job::Kind::page, key});
  ++queued_;
  return Admission::queued;
}

void Frontier::offer_listing(const std::string& u, int listing) {
  std::string key = url::origin_of(u);
  origin_for(key, false).by_depth[-1].push_back(Job{0, u, -1, Job::Kind::listing, key, listing});
  ++queued_;
}

void Frontier::mark_seen(UrlId id, int depth) {
  if (int* seen = seen_depth(id)) {
    *seen = std::min(*seen, depth);
    return;
  }
  set_seen_depth(id, depth);
  if (depth <= options_.max_depth) ++pages_admitted_;
}

void Frontier::set_seen_depth(UrlId id, int depth) {
  if (id >= seen_depth_.size()) seen_depth_.resize(id + 1, kUnseen);  // amortised: vector growth doubles
  seen_depth_[id] = depth;
}

std::optional<Job> Frontier::take_from(const std::string& key, Origin& o, Clock::time_point now,
                                       std::optional<Clock::time_point>& wake_at) {
  if (o.by_depth.empty()) return std::nullopt;
  if (o.robots_state == RobotsState::unknown) {
    o.robots_state = RobotsState::fetching;
    ++in_flight_;
    // robots.txt is a request like any other: the rate counts it.
    if (o.min_interval_s > 0)
      o.next_start = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.min_interval_s));
    return Job{0, key + "/robots.txt", 0, Job::Kind::robots, key};
  }
  if (o.robots_state == RobotsState::fetching) return std::nullopt;

  auto bucket = o.by_depth.begin();
  Job job = std::move(bucket->second.front());
  // Disallowed URLs leave the queue at once, recorded without a request.
  if (!o.external && !o.robots.allowed(url::path_and_query(job.url))) {
    bucket->second.pop_front();
    if (bucket->second.empty()) o.by_depth.erase(bucket);
    --queued_;
    ++in_flight_;
    ++o.in_flight;
    job.kind = Job::Kind::robots_blocked;
    return job;
  }
  if (o.in_flight >= (o.concurrency ? o.concurrency : options_.per_host_concurrency)) {
    bucket->second.front() = std::move(job);
    return std::nullopt;
  }
  if (now < o.next_start) {
    bucket->second.front() = std::move(job);
    if (!wake_at || o.next_start < *wake_at) wake_at = o.next_start;
    return std::nullopt;
  }
  bucket->second.pop_front();
  if (bucket->second.empty()) o.by_depth.erase(bucket);
  --queued_;
  ++in_flight_;
  ++o.in_flight;
  if (o.min_interval_s > 0)
    o.next_start = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.min_interval_s));
  return job;
}

std::optional<Job> Frontier::next(Clock::time_point now, std::optional<Clock::time_point>& wake_at) {
  for (auto& [key, origin] : origins_)
    if (auto job = take_from(key, origin, now, wake_at)) return job;
  return std::nullopt;
}

void Frontier::finished(const Job& job, Clock::time_point) {
  --in_flight_;
  if (job.kind == Job::Kind::robots) return;
  auto it = origins_.find(job.origin);
  if (it != origins_.end()) --it->second.in_flight;
}

void Frontier::set_robots(const std::string& origin, Robots robots) {
  Origin& o = origin_for(origin, false);
  if (auto delay = robots.crawl_delay_seconds())
    o.min_interval_s = std::max(o.min_interval_s, std::min(*delay, 60.0));  // a silly delay must not stall us for hours
  o.robots = std::move(robots);
  o.robots_state = RobotsState::known;
}

void Frontier::pause_origin(const std::string& origin, Clock::time_point until) {
  Origin& o = origin_for(origin, false);
  o.next_start = std::max(o.next_start, until);
  o.concurrency = 1;
}

void Frontier::requeue(const Job& job) {
  Origin& o = origin_for(job.origin, job.kind == Job::Kind::external);
  o.by_depth[job.depth].push_front(job);
  ++queued_;
}

const Robots* Frontier::robots_for(const std::string& origin) const {
  auto it = origins_.find(origin);
  return it == origins_.end() ? nullptr : &it->second.robots;
}

}  // namespace oit
