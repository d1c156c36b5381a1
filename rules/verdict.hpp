// One verdict per rule-set item: the type the matcher produces and every report reads.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rules/ruleset.hpp"

namespace oit {

enum class Status { ok, not_linked, broken, stale, missing, unknown };
const char* to_string(Status s);

// Why a candidate scored: one entry per signal that fired.
struct SignalHit {
  std::string signal;  // anchor | title | url | body | code
  std::string text;    // the text it fired on
  std::string phrase;  // the rule phrase or pattern that matched
  double weight = 0;
};

struct Candidate {
  std::string url;
  EvidenceKind kind = EvidenceKind::page;
  std::string title, anchor_text, via;
  double confidence = 0;
  std::vector<SignalHit> signals;
  std::optional<int> depth;
  std::vector<std::string> path;
  long status = 0;
  std::string error;
  std::set<int> years;
  std::string assessment;  // how the verdict rules saw it: "reachable", "too deep", "HTTP 404", ...
};

struct Verdict {
  const ItemRule* item = nullptr;
  Status status = Status::missing;
  std::vector<Candidate> evidence;    // the best first; empty when missing/unknown-with-nothing
  std::vector<Candidate> candidates;  // everything considered, best first (for `explain`)
  std::string reason_th, reason_en, fix_th, fix_en;
};

}  // namespace oit
