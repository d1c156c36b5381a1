#include "reports/labels.hpp"

#include <cstdio>

namespace oit::labels {

const char* status(const std::string& s, Lang lang) {
  bool th = lang == Lang::th;
  if (s == "ok") return th ? "ผ่าน" : "ok";
  if (s == "not_linked") return th ? "ไม่ได้ลิงก์จากหน้าแรก" : "not linked from the main page";
  if (s == "broken") return th ? "ลิงก์เสีย" : "broken";
  if (s == "stale") return th ? "ไม่เป็นปัจจุบัน" : "not for this fiscal year";
  if (s == "missing") return th ? "ไม่พบข้อมูล" : "missing";
  return th ? "สรุปไม่ได้" : "unknown";
}

const char* answer_verdict(const std::string& v, Lang lang) {
  bool th = lang == Lang::th;
  if (v == "ok") return th ? "ผ่าน" : "ok";
  if (v == "broken") return th ? "เปิดไม่ได้" : "does not open";
  if (v == "not_linked") return th ? "ไม่ได้ลิงก์จากหน้าแรก" : "not linked from the main page";
  if (v == "wrong_item") return th ? "ตรงกับข้ออื่นมากกว่า" : "matches another item";
  if (v == "no_match") return th ? "ไม่ตรงกับข้อนี้" : "does not match the item";
  if (v == "stale") return th ? "ไม่ใช่ข้อมูลปีนี้" : "not for this fiscal year";
  if (v == "unanswered") return th ? "ยังไม่มีคำตอบ" : "no answer yet";
  return th ? "ตรวจไม่ได้" : "not checked";
}

const char* status_color(const std::string& status) {
  if (status == "ok") return "#2e7d32";
  if (status == "not_linked") return "#e65100";
  if (status == "broken") return "#c62828";
  if (status == "stale") return "#f9a825";
  if (status == "missing") return "#6d4c41";
  return "#757575";
}

int status_rank(const std::string& s) {
  if (s == "broken") return 0;
  if (s == "not_linked") return 1;
  if (s == "stale") return 2;
  if (s == "missing") return 3;
  if (s == "unknown") return 4;
  return 5;
}

Score score_of(const nlohmann::json& report) {
  Score s;
  for (const auto& item : report.value("items", nlohmann::json::array())) {
    std::string st = text(item, "status");
    ++s.total;
    s.ok += st == "ok";
    s.fixable += st == "not_linked" || st == "broken";
  }
  if (s.total) {
    s.now = 100.0 * static_cast<double>(s.ok) / static_cast<double>(s.total);
    s.after_fixes = 100.0 * static_cast<double>(s.ok + s.fixable) / static_cast<double>(s.total);
  }
  return s;
}

const char* grade(double p) {
  if (p >= 95) return "AA";
  if (p >= 85) return "A";
  if (p >= 75) return "B";
  if (p >= 65) return "C";
  if (p >= 55) return "D";
  if (p >= 50) return "E";
  return "F";
}

std::string percent_text(double percent) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", percent + 1e-9);
  return buf;
}

std::string text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace oit::labels
