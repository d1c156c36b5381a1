#include "rules/matcher.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <cctype>
#include <thread>

#include "crawler/strings.hpp"
#include "rules/thai_text.hpp"

namespace oit {

const char* to_string(Status s) {
  switch (s) {
    case Status::ok: return "ok";
    case Status::not_linked: return "not_linked";
    case Status::broken: return "broken";
    case Status::stale: return "stale";
    case Status::missing: return "missing";
    case Status::unknown: return "unknown";
  }
  return "unknown";
}

namespace {

// Signal strengths, strongest first: the words of the link that leads to the candidate, its
// title and headings, its URL, its body text. A code such as "O15" is only a hint.
constexpr double kAnchorWeight = 1.0, kTitleWeight = 0.8, kUrlWeight = 0.6, kBodyWeight = 0.35, kCodeWeight = 0.3;

struct Text {
  std::string written, normal, squashed;
};

Text make_text(std::string written) {
  Text t;
  t.normal = text::normalise(written);
  // squash() is normalise() without spaces, and normalising twice changes nothing.
  t.squashed = t.normal;
  std::erase(t.squashed, ' ');
  t.written = std::move(written);
  return t;
}

// Everything the matcher reads of one URL, normalised once.
struct NodeTexts {
  std::vector<Text> anchors, titles;  // titles: <title> and h1-h3
  Text url, body;
  std::vector<int> codes;
  std::set<int> years;
};

NodeTexts texts_of(const UrlNode& n, std::string_view body) {
  NodeTexts t;
  for (const auto& in : n.inbound)
    if (!in.anchor_text.empty()) t.anchors.push_back(make_text(in.anchor_text));
  if (!n.title.empty()) t.titles.push_back(make_text(n.title));
  for (const auto& h : n.headings) t.titles.push_back(make_text(h));
  auto scheme = n.url.find("://");
  t.url = make_text(strings::percent_decode(scheme == std::string::npos ? n.url : n.url.substr(scheme + 3), true));
  t.body = make_text(std::string(body));
  std::string labels;
  for (const auto* group : {&t.anchors, &t.titles})
    for (const auto& x : *group) labels += x.written + "\n";
  for (int c : text::item_codes(labels)) t.codes.push_back(c);
  // The squashed texts side by side are the squashed whole: no second pass over the excerpt.
  std::string squashed;
  for (const auto* group : {&t.anchors, &t.titles})
    for (const auto& x : *group) squashed += x.squashed;
  t.years = text::years_in_squashed(squashed + t.url.squashed + t.body.squashed);
  return t;
}

using MatchersOf = const Matchers ItemRule::*;

// The text shown for a signal: body text is cut to 300 bytes (on a character boundary) so a
// report does not carry every page's excerpt once per item.
std::string shown_text(const Text& t, const char* signal) {
  return std::string_view(signal) == "body" ? strings::cut_utf8(t.written, 300) : t.written;
}

// For one text and one signal: each item's longest matching phrase. An item whose phrase lies
// inside a longer phrase of another item that also matched is dropped ("นโยบายหรือแผนการพัฒนา
// ทรัพยากรบุคคล" inside "การดำเนินการตามนโยบายหรือแผน..."): the more specific item wins.
void phrase_hits(const Text& t, const RuleSet& rules, MatchersOf which, const char* signal, double weight,
                 std::vector<std::vector<SignalHit>>& hits) {
  std::vector<const Matchers::Phrase*> best(rules.items.size(), nullptr);
  for (size_t i = 0; i < rules.items.size(); ++i) {
    const Matchers& m = rules.items[i].*which;
    for (const auto& p : m.phrases)
      if ((!best[i] || p.squashed().size() > best[i]->squashed().size()) && p.found_in(t.squashed))
        best[i] = &p;
    if (!best[i])
      for (const auto& pat : m.patterns)
        if (std::regex_search(t.normal, pat.regex)) {
          hits[i].push_back({signal, shown_text(t, signal), pat.written, weight});
          break;
        }
  }
  for (size_t i = 0; i < best.size(); ++i) {
    if (!best[i]) continue;
    bool dominated = false;
    for (size_t j = 0; j < best.size() && !dominated; ++j)
      dominated = j != i && best[j] && best[j]->squashed().size() > best[i]->squashed().size() &&
                  best[i]->found_in(best[j]->squashed());
    if (!dominated) hits[i].push_back({signal, shown_text(t, signal), best[i]->written, weight});
  }
}

bool excluded(const ItemRule& item, const NodeTexts& t, std::string& by) {
  for (const auto& ex : item.exclude)
    for (const auto* group : {&t.anchors, &t.titles})
      for (const auto& x : *group)
        if (ex.found_in(x.squashed)) {
          by = ex.written;
          return true;
        }
  return false;
}

// A 200 answer that is really an error page: soft 404s, login walls, Drive "request access".
bool soft_error(const UrlNode& n) {
  static const char* markers[] = {"404", "notfound", "ไม่พบหน้า", "ไม่พบไฟล์", "ไม่พบข้อมูลที่ต้องการ",
                                  "youneedaccess", "requestaccess", "ขอสิทธิ์เข้าถึง", "คุณต้องมีสิทธิ์เข้าถึง",
                                  "accessdenied", "signin-googleaccounts"};
  std::string title = text::squash(n.title);
  for (const auto& h : n.headings) title += "|" + text::squash(h);
  for (const char* m : markers)
    if (title.find(m) != std::string::npos) return true;
  return false;
}

std::optional<EvidenceKind> kind_of(const UrlNode& n) {
  if (n.kind == "external") return EvidenceKind::external;
  if (n.kind != "page" || n.state != "done" || !n.redirect_to.empty()) return std::nullopt;
  return n.is_html() ? EvidenceKind::page : EvidenceKind::document;
}

double combine(const std::vector<SignalHit>& hits) {
  // Independent signals: 1 - product of (1 - weight), one hit per signal kind.
  std::set<std::string> seen;
  double miss = 1;
  for (const auto& h : hits)
    if (seen.insert(h.signal).second) miss *= 1 - h.weight;
  return std::min(0.99, 1 - miss);
}

bool answers(const UrlNode& n) {
  if (n.kind == "external" && n.state == "skipped") return true;  // not requested: taken on trust
  return n.status >= 200 && n.status < 300 && !soft_error(n);
}

std::string failure_of(const UrlNode& n) {
  if (!n.error.empty()) return n.error;
  if (n.status >= 300) return "HTTP " + std::to_string(n.status);
  if (soft_error(n)) return "an error page (\"" + n.title + "\") answered with HTTP 200";
  return "no answer";
}

// The same failure in Thai, for the Thai reason.
std::string failure_th(const Candidate& c) {
  if (c.assessment.rfind("HTTP ", 0) == 0) return c.assessment;
  if (c.assessment.rfind("an error page", 0) == 0) return "เปิดได้แต่เป็นหน้าแจ้งข้อผิดพลาด \"" + c.title + "\"";
  return "เปิดไม่ได้: " + c.assessment;
}

std::string years_text(const std::set<int>& years) {
  std::string s;
  for (int y : years) s += (s.empty() ? "" : ", ") + std::to_string(y);
  return s.empty() ? "-" : s;
}

struct ItemContext {
  const ItemRule& item;
  int max_clicks;
  std::set<int> required_years;
};

void explain(Verdict& v, const ItemContext& ctx, int fiscal_year, const CrawlCompleteness& crawl) {
  const ItemRule& item = *v.item;
  const Candidate* best = v.evidence.empty() ? nullptr : &v.evidence.front();
  std::string clicks = std::to_string(ctx.max_clicks);
  switch (v.status) {
    case Status::ok:
      v.reason_th = "พบ " + best->url + " ลึก " + std::to_string(best->depth.value_or(0)) + " คลิกจากหน้าแรก" +
                    (best->anchor_text.empty() ? "" : " (ลิงก์ \"" + best->anchor_text + "\")");
      v.reason_en = "Found " + best->url + ", " + std::to_string(best->depth.value_or(0)) +
                    " clicks from the main page" + (best->anchor_text.empty() ? "" : " (link \"" + best->anchor_text + "\")");
      break;
    case Status::not_linked: {
      bool deep = best->depth.has_value();
      std::string where_th = deep ? "อยู่ลึก " + std::to_string(*best->depth) + " คลิก เกินกว่า " + clicks + " คลิกที่กำหนด"
                                  : "ไม่มีลิงก์จากหน้าแรก" + std::string(best->via == "sitemap" ? " (พบจาก sitemap.xml)" : "");
      std::string where_en = deep ? "it is " + std::to_string(*best->depth) + " clicks deep, more than the " + clicks + " allowed"
                                  : "no link from the main page leads to it" +
                                        std::string(best->via == "sitemap" ? " (found through sitemap.xml)" : "");
      v.reason_th = "พบข้อมูลที่ " + best->url + " แต่" + where_th + ": ผู้ประเมินจะให้ 0 คะแนน (ลิงก์ไม่ได้แสดงจากหน้าเว็บไซต์หลักของหน่วยงาน)";
      v.reason_en = "The evidence exists at " + best->url + " but " + where_en + ": assessors score this 0";
      v.fix_th = "เพิ่มลิงก์ \"" + item.name_th + "\" ไปยัง " + best->url +
                 " ในเมนูหรือหน้ารวม ITA/OIT ที่ลิงก์จากหน้าแรก (ไม่เกิน " + clicks + " คลิก)";
      v.fix_en = "Add a link \"" + item.name_th + "\" to " + best->url +
                 " in the ITA/OIT menu of the main page, or on an ITA page the main page links to (at most " + clicks + " clicks)";
      break;
    }
    case Status::broken: {
      std::string from = best->path.size() >= 2 ? best->path[best->path.size() - 2] : "";
      v.reason_th = "ลิงก์จากหน้าแรกไปยัง " + best->url + " ใช้งานไม่ได้ (" + failure_th(*best) + ")";
      v.reason_en = "The main page's link path leads to " + best->url + ", which fails (" + best->assessment + ")";
      v.fix_th = "แก้ลิงก์" + (from.empty() ? std::string() : "ในหน้า " + from) + " ให้ชี้ไปยังเอกสารที่เปิดได้ หรืออัปโหลดเอกสารใหม่";
      v.fix_en = "Fix the link" + (from.empty() ? std::string() : " on " + from) +
                 " so it opens the document (or upload the document again)";
      break;
    }
    case Status::stale:
      v.reason_th = "หลักฐานที่ลิงก์จากหน้าแรก (" + best->url + ") ไม่ใช่ของปีงบประมาณ " + std::to_string(fiscal_year) +
                    " (ปีที่พบ: " + years_text(best->years) + ")";
      v.reason_en = "The linked evidence (" + best->url + ") is not for fiscal year " + std::to_string(fiscal_year) +
                    " (years found: " + years_text(best->years) + ")";
      v.fix_th = "เผยแพร่ " + item.name_th + " ของปีงบประมาณ " + std::to_string(fiscal_year) + " และให้ลิงก์ชี้ไปยังฉบับนั้น";
      v.fix_en = "Publish the fiscal year " + std::to_string(fiscal_year) + " edition and point the link at it";
      break;
    case Status::missing:
      v.reason_th = "ไม่พบข้อมูลนี้ในเว็บไซต์";
      v.reason_en = "Nothing on the site matches this item";
      v.fix_th = "จัดทำ " + item.name_th + " เผยแพร่บนเว็บไซต์ แล้วลิงก์จากเมนู ITA/OIT ที่หน้าแรก";
      v.fix_en = "Publish this item on the site and link it from the ITA/OIT menu of the main page";
      break;
    case Status::unknown:
      if (best && (best->status == 429 || best->status == 503)) {
        v.reason_th = "เซิร์ฟเวอร์ขอให้ชะลอการเข้าถึง (HTTP " + std::to_string(best->status) + ") ขณะตรวจ " + best->url +
                      " จึงยังสรุปไม่ได้";
        v.reason_en = "The server asked us to slow down (HTTP " + std::to_string(best->status) + ") for " + best->url +
                      ", so this cannot be judged";
        v.fix_th = "ตรวจใหม่ด้วย --rate ที่ต่ำลง หรือขอให้ผู้ดูแลเซิร์ฟเวอร์ยกเว้นการจำกัดสำหรับ oitcheck";
        v.fix_en = "Run again with a lower --rate, or ask the server's admin to exempt oitcheck from rate limiting";
        break;
      }
      v.reason_th = "การตรวจเว็บไซต์ยังไม่ครบ (" + crawl.reason + ") จึงยังสรุปไม่ได้ว่าขาดหรือไม่ได้ลิงก์";
      v.reason_en = "The crawl did not see the whole site (" + crawl.reason + "), so this cannot be judged";
      v.fix_th = crawl.fix_th.empty() ? "ตรวจใหม่ด้วย --resume หรือเพิ่ม --max-pages / --time-budget" : crawl.fix_th;
      v.fix_en = crawl.fix_en.empty() ? "Run again with --resume, or raise --max-pages / --time-budget" : crawl.fix_en;
      break;
  }
}

}  // namespace

std::vector<NodeMatch> match_node(const RuleSet& rules, const EvidenceGraph& graph, const UrlNode& n,
                                  std::string_view body) {
  std::vector<NodeMatch> out;
  auto kind = kind_of(n);
  if (!kind) return out;
  NodeTexts t = texts_of(n, body);
  std::vector<std::vector<SignalHit>> hits(rules.items.size());
  for (const auto& a : t.anchors) phrase_hits(a, rules, &ItemRule::anchor, "anchor", kAnchorWeight, hits);
  for (const auto& x : t.titles) phrase_hits(x, rules, &ItemRule::title, "title", kTitleWeight, hits);
  phrase_hits(t.url, rules, &ItemRule::url, "url", kUrlWeight, hits);
  phrase_hits(t.body, rules, &ItemRule::body, "body", kBodyWeight, hits);
  for (size_t i = 0; i < rules.items.size(); ++i) {
    const ItemRule& item = rules.items[i];
    if (hits[i].empty()) continue;
    if (item.code_number && std::count(t.codes.begin(), t.codes.end(), item.code_number))
      hits[i].push_back({"code", item.code, item.code, kCodeWeight});
    Candidate c;
    c.url = n.url;
    c.kind = *kind;
    c.title = n.title;
    c.via = n.via;
    c.depth = n.click_depth;
    c.path = graph.path_to(n.id);
    c.anchor_text = graph.anchor_on_path(n.id);
    c.status = n.status;
    c.error = n.error;
    c.years = t.years;
    c.confidence = combine(hits[i]);
    c.signals = std::move(hits[i]);
    std::string by;
    if (excluded(item, t, by)) {
      c.confidence = 0;
      c.assessment = "ruled out by the phrase \"" + by + "\"";
    } else if (!item.evidence.count(*kind)) {
      c.confidence = 0;
      c.assessment = std::string("a ") + to_string(*kind) + ", which this item does not accept";
    } else if (!answers(n)) {
      c.assessment = failure_of(n);
    }
    out.push_back({i, std::move(c)});
  }
  return out;
}

std::string node_failure(const UrlNode& n) { return answers(n) ? "" : failure_of(n); }

std::set<int> years_of(const UrlNode& n, std::string_view body) { return texts_of(n, body).years; }

namespace {

// Runs work(i) for every i < count on every core, in batches. A throw on a helper thread (a
// rule's regular expression giving up on some page's text) would end the process there: it is
// carried back and rethrown here, as on one thread.
void on_every_core(size_t count, const std::function<void(size_t)>& work) {
  std::atomic<size_t> next{0};
  std::mutex failed_mutex;
  std::exception_ptr failed;
  auto some = [&] {
    constexpr size_t kBatch = 64;
    try {
      for (size_t from; (from = next.fetch_add(kBatch)) < count;)
        for (size_t i = from; i < std::min(from + kBatch, count); ++i) work(i);
    } catch (...) {
      next = count;  // the others stop at their next batch
      std::lock_guard lock(failed_mutex);
      if (!failed) failed = std::current_exception();
    }
  };
  std::vector<std::thread> helpers(std::clamp(std::thread::hardware_concurrency(), 1u, 8u) - 1);
  for (auto& helper : helpers) helper = std::thread(some);
  some();
  for (auto& helper : helpers) helper.join();
  if (failed) std::rethrow_exception(failed);
}

// Where the verdict rules put a candidate, best first: the verdict takes the first standing
// that has any candidate.
enum class Standing { good, stale, failing, rate_limited, unreachable, too_weak };
constexpr size_t kShownPerStanding = 3, kKeptCandidates = 10;

struct Judged {
  Standing standing;
  Candidate candidate;
};

// Sets the candidate's assessment; called once per candidate.
Standing judge(Candidate& c, const ItemContext& ctx, const CheckOptions& options) {
  if (c.confidence < options.min_confidence) {
    if (c.assessment.empty()) c.assessment = "too weak a match";
    return Standing::too_weak;
  }
  bool reachable = c.depth && *c.depth <= ctx.max_clicks;
  bool year_ok = ctx.required_years.empty() || std::any_of(ctx.required_years.begin(), ctx.required_years.end(),
                                                            [&](int y) { return c.years.count(y) > 0; });
  if (!reachable) {
    c.assessment = c.depth ? std::to_string(*c.depth) + " clicks deep (more than " + std::to_string(ctx.max_clicks) + ")"
                           : "no link path from the main page";
    return Standing::unreachable;
  }
  // A 429/503 says nothing about the page: the server was refusing us, not the public.
  if (!c.assessment.empty()) return c.status == 429 || c.status == 503 ? Standing::rate_limited : Standing::failing;
  if (!year_ok) {
    c.assessment = "reachable, but not for fiscal year " + years_text(ctx.required_years);
    return Standing::stale;
  }
  c.assessment = "reachable";
  return Standing::good;
}

bool better(const Judged& x, const Judged& y) {
  const Candidate &a = x.candidate, &b = y.candidate;
  if (a.confidence != b.confidence) return a.confidence > b.confidence;
  if (a.depth.has_value() != b.depth.has_value()) return a.depth.has_value();
  if (a.depth && b.depth && *a.depth != *b.depth) return *a.depth < *b.depth;
  return a.url < b.url;
}

// Sorts best first and keeps only what a verdict can show: the best few of each standing and
// the best kKeptCandidates overall. A big site has thousands of weak candidates per item.
void keep_useful(std::vector<Judged>& judged) {
  std::sort(judged.begin(), judged.end(), better);
  size_t per_standing[static_cast<size_t>(Standing::too_weak) + 1] = {};
  size_t kept = 0;
  for (size_t i = 0; i < judged.size(); ++i) {
    size_t& shown = per_standing[static_cast<size_t>(judged[i].standing)];
    bool useful = i < kKeptCandidates || (judged[i].standing != Standing::too_weak && shown < kShownPerStanding);
    ++shown;
    if (!useful) continue;
    if (kept != i) judged[kept] = std::move(judged[i]);
    ++kept;
  }
  judged.resize(kept);
}

}  // namespace

std::vector<Verdict> check_items(const RuleSet& rules, const EvidenceGraph& graph, const CheckOptions& options,
                                 const CrawlCompleteness& crawl) {
  std::vector<ItemContext> contexts;
  for (const auto& item : rules.items) {
    ItemContext ctx{item, options.max_clicks.value_or(item.max_clicks), {}};
    if (item.year != YearRule::any) ctx.required_years.insert(options.fiscal_year);
    if (item.year == YearRule::current_or_previous) ctx.required_years.insert(options.fiscal_year - 1);
    contexts.push_back(std::move(ctx));
  }
  // The URLs are matched a slice at a time (the slice's excerpts read from the state, then
  // matched on every core) and each item keeps only its useful candidates after each slice:
  // memory stays flat however big the site. The order of slices and the total order of
  // candidates make the outcome the same as one thread's over everything.
  const auto& nodes = graph.nodes();
  std::vector<std::vector<Judged>> per_item(rules.items.size());
  constexpr size_t kSlice = 2048;
  for (size_t first = 0; first < nodes.size(); first += kSlice) {
    size_t count = std::min(kSlice, nodes.size() - first);
    std::vector<std::string> bodies = graph.excerpts(first, count);
    std::vector<std::vector<NodeMatch>> matches(count);
    on_every_core(count, [&](size_t i) { matches[i] = match_node(rules, graph, nodes[first + i], bodies[i]); });
    for (auto& of_node : matches)
      for (auto& m : of_node) {
        Standing standing = judge(m.candidate, contexts[m.item], options);
        per_item[m.item].push_back({standing, std::move(m.candidate)});
      }
    for (auto& judged : per_item) keep_useful(judged);
  }

  std::vector<Verdict> verdicts;
  for (size_t i = 0; i < rules.items.size(); ++i) {
    const std::vector<Judged>& judged = per_item[i];
    Verdict v;
    v.item = &rules.items[i];
    // Statuses in the order of the standings: the first standing with a candidate decides.
    const Status by_standing[] = {Status::ok, Status::stale, Status::broken, Status::unknown,
                                  crawl.complete ? Status::not_linked : Status::unknown};
    v.status = crawl.complete ? Status::missing : Status::unknown;
    for (Standing s : {Standing::good, Standing::stale, Standing::failing, Standing::rate_limited, Standing::unreachable}) {
      for (const auto& j : judged)
        if (j.standing == s && v.evidence.size() < kShownPerStanding) v.evidence.push_back(j.candidate);
      if (!v.evidence.empty()) {
        v.status = by_standing[static_cast<size_t>(s)];
        break;
      }
    }
    explain(v, contexts[i], options.fiscal_year, crawl);
    for (size_t k = 0; k < judged.size() && k < kKeptCandidates; ++k) v.candidates.push_back(judged[k].candidate);
    verdicts.push_back(std::move(v));
  }
  return verdicts;
}

}  // namespace oit
