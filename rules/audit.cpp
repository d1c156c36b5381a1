#include "rules/audit.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "rules/thai_text.hpp"

namespace oit {
namespace {

const UrlNode* final_node(const EvidenceGraph& graph, const UrlNode* n) {
  for (int hops = 0; n && !n->redirect_to.empty() && hops < 20; ++hops) {
    const UrlNode* next = graph.find_url(n->redirect_to);
    if (!next) break;
    n = next;
  }
  return n;
}

bool looks_like_login(const UrlNode& n) {
  std::string t = text::squash(n.title);
  for (const auto& h : n.headings) t += "|" + text::squash(h);
  for (const char* m : {"login", "log-in", "signin", "sign-in", "เข้าสู่ระบบ", "ลงชื่อเข้าใช้"})
    if (t.find(m) != std::string::npos) return true;
  return false;
}

std::string item_label(const ItemRule& item) { return item.code + " " + item.name_th; }

const ItemRule* item_by_id(const RuleSet& rules, const std::string& id) {
  for (const auto& item : rules.items)
    if (item.id == id) return &item;
  return nullptr;
}

void explain(AnswerVerdict& a, const ItemRule& item, const RuleSet& rules, int max_clicks, int fiscal_year,
             const std::string& failure) {
  std::string better_th = a.better_url.empty() ? "" : " หรือตอบด้วย " + a.better_url + " ที่ตรวจแล้วว่าผ่าน";
  std::string better_en = a.better_url.empty() ? "" : ", or answer with " + a.better_url + ", which passes";
  std::string clicks = std::to_string(max_clicks);
  if (a.verdict == "ok") {
    a.reason_th = "เปิดได้ ลิงก์จากหน้าแรก " + std::to_string(a.depth.value_or(0)) + " คลิก และตรงกับข้อนี้";
    a.reason_en = "Answers, is " + std::to_string(a.depth.value_or(0)) + " clicks from the main page and matches the item";
  } else if (a.verdict == "broken") {
    a.reason_th = "URL ที่จะส่งเปิดไม่ได้ (" + failure + ")";
    a.reason_en = "The URL does not answer properly (" + failure + ")";
    a.fix_th = "แก้ให้ URL นี้เปิดได้สำหรับทุกคน (ไม่ต้องเข้าสู่ระบบหรือขอสิทธิ์)" + better_th;
    a.fix_en = "Make the URL open for anyone (no login, no access request)" + better_en;
  } else if (a.verdict == "not_linked") {
    a.reason_th = a.depth ? "อยู่ลึก " + std::to_string(*a.depth) + " คลิก เกินกว่า " + clicks + " คลิก"
                          : "ไม่มีลิงก์จากหน้าแรกไปถึง URL นี้: ผู้ประเมินจะให้ 0 คะแนน (ลิงค์ไม่ได้แสดงจากหน้าเว็บไซต์หลักของหน่วยงาน)";
    a.reason_en = a.depth ? "It is " + std::to_string(*a.depth) + " clicks deep, more than " + clicks
                          : "No link path from the main page reaches this URL: assessors score that 0";
    a.fix_th = "เพิ่มลิงก์ไปยัง " + a.url + " ในเมนู ITA/OIT ที่หน้าแรกก่อนส่งคำตอบ" + better_th;
    a.fix_en = "Link " + a.url + " from the ITA/OIT menu of the main page before submitting" + better_en;
  } else if (a.verdict == "wrong_item") {
    const ItemRule* other = item_by_id(rules, a.better_item);
    std::string label = other ? item_label(*other) : a.better_item;
    a.reason_th = "URL นี้ตรงกับข้อ " + label + " มากกว่าข้อ " + item_label(item);
    a.reason_en = "This URL matches " + label + " better than " + item.code;
    a.fix_th = "ตรวจว่าใส่ URL สลับข้อกันหรือไม่" + better_th;
    a.fix_en = "Check whether the answers of two items were swapped" + better_en;
  } else if (a.verdict == "no_match") {
    a.reason_th = "เนื้อหาที่ URL นี้ดูไม่ใช่ " + item_label(item);
    a.reason_en = "Nothing at this URL looks like " + item.code + " " + item.name_en;
    a.fix_th = "ตรวจว่า URL ถูกต้อง และหน้า/ลิงก์มีชื่อของข้อนี้" + better_th;
    a.fix_en = "Check the URL; name the page or its link after the item" + better_en;
  } else if (a.verdict == "stale") {
    a.reason_th = "ไม่พบข้อมูลของปีงบประมาณ " + std::to_string(fiscal_year) + " ที่ URL นี้";
    a.reason_en = "Nothing at this URL is for fiscal year " + std::to_string(fiscal_year);
    a.fix_th = "เผยแพร่ข้อมูลของปีงบประมาณ " + std::to_string(fiscal_year) + " แล้วตอบด้วย URL ของฉบับนั้น";
    a.fix_en = "Publish the fiscal year " + std::to_string(fiscal_year) + " edition and answer with its URL";
  } else if (a.verdict == "not_checked") {
    a.reason_th = "ตรวจ URL นี้ไม่ได้ (" + failure + ")";
    a.reason_en = "This URL could not be checked (" + failure + ")";
    a.fix_th = "ตรวจใหม่ (เช่น ใช้ --ignore-robots กับเว็บไซต์ของหน่วยงานเอง)";
    a.fix_en = "Run again (on your own site, --ignore-robots may be needed)";
  } else if (a.verdict == "unanswered") {
    a.reason_th = "ยังไม่มีคำตอบสำหรับข้อนี้";
    a.reason_en = "No answer for this item yet";
    a.fix_th = a.better_url.empty() ? "จัดทำข้อมูล ลิงก์จากหน้าแรก แล้วเพิ่มคำตอบ" : "ตอบด้วย " + a.better_url;
    a.fix_en = a.better_url.empty() ? "Publish the item, link it from the main page, then add the answer"
                                    : "Answer with " + a.better_url;
  }
}

}  // namespace

std::vector<AnswerVerdict> audit_answers(const RuleSet& rules, const EvidenceGraph& graph,
                                         const std::vector<Verdict>& verdicts, const std::vector<Answer>& answers,
                                         const CheckOptions& options) {
  std::map<std::string, const Verdict*> verdict_of;
  for (const auto& v : verdicts) verdict_of[v.item->id] = &v;
  std::vector<AnswerVerdict> out;
  std::set<std::string> answered;
  for (const auto& answer : answers) {
    const ItemRule* item = item_by_id(rules, answer.item_id);
    if (!item) continue;  // load_answers already rejected unknown items
    answered.insert(item->id);
    int max_clicks = options.max_clicks.value_or(item->max_clicks);
    AnswerVerdict a;
    a.item_id = item->id;
    a.url = answer.url;
    a.written = answer.written;
    a.where = answer.where;
    const Verdict* v = verdict_of[item->id];
    if (v && v->status == Status::ok && !v->evidence.empty() && v->evidence.front().url != answer.url)
      a.better_url = v->evidence.front().url;

    const UrlNode* node = final_node(graph, graph.find_url(answer.url));
    std::string failure;
    if (!node || (node->state != "done" && node->kind != "external")) {
      failure = node ? "not fetched: " + node->skip_reason : "not reached by the crawl";
      a.verdict = "not_checked";
      a.problems.push_back(failure);
      explain(a, *item, rules, max_clicks, options.fiscal_year, failure);
      out.push_back(std::move(a));
      continue;
    }
    a.depth = node->click_depth;
    a.path = graph.path_to(node->id);

    // How much it looks like its item, and like every other item.
    std::string body = graph.excerpt_of(*node);
    double best_other = 0;
    for (auto& m : match_node(rules, graph, *node, body)) {
      double c = m.candidate.confidence;
      if (rules.items[m.item].id == item->id) a.confidence = c;
      else if (c > best_other) {
        best_other = c;
        a.better_item = rules.items[m.item].id;
      }
    }
    bool matches = a.confidence >= options.min_confidence;
    bool swapped = best_other >= options.min_confidence && best_other > a.confidence;
    if (!swapped) a.better_item.clear();

    failure = node_failure(*node);
    if (failure.empty() && !matches && looks_like_login(*node)) failure = "a login page (\"" + node->title + "\")";
    bool reachable = node->click_depth && *node->click_depth <= max_clicks;
    std::set<int> required;
    if (item->year != YearRule::any) required.insert(options.fiscal_year);
    if (item->year == YearRule::current_or_previous) required.insert(options.fiscal_year - 1);
    std::set<int> years = years_of(*node, body);
    bool year_ok = required.empty() || std::any_of(required.begin(), required.end(), [&](int y) { return years.count(y) > 0; });

    if (!failure.empty()) a.problems.push_back(failure);
    if (!reachable) a.problems.push_back(node->click_depth ? "too deep" : "not linked from the main page");
    if (swapped) a.problems.push_back("matches item " + a.better_item + " better");
    else if (!matches) a.problems.push_back("does not look like the item");
    if (!year_ok) a.problems.push_back("no fiscal year " + std::to_string(options.fiscal_year));
    // The most serious problem names the verdict: an assessor first needs the page to open, then
    // to reach it from the main page, then to recognise the item, then the year.
    a.verdict = !failure.empty() ? "broken" : !reachable ? "not_linked" : swapped ? "wrong_item" : !matches ? "no_match"
                                  : !year_ok ? "stale" : "ok";
    if (a.verdict == "ok") a.better_url.clear();
    explain(a, *item, rules, max_clicks, options.fiscal_year, failure);
    out.push_back(std::move(a));
  }
  for (const auto& item : rules.items) {
    if (answered.count(item.id)) continue;
    AnswerVerdict a;
    a.item_id = item.id;
    a.verdict = "unanswered";
    const Verdict* v = verdict_of[item.id];
    if (v && v->status == Status::ok && !v->evidence.empty()) a.better_url = v->evidence.front().url;
    explain(a, item, rules, options.max_clicks.value_or(item.max_clicks), options.fiscal_year, "");
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace oit
