// libFuzzer: a rule file is user input; loading any text ends in a rule set or in errors.
#include <cstdint>
#include <string>

#include "rules/ruleset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto rules = oit::parse_rule_set(text, "fuzz.json");
  if (!rules && rules.error().empty()) __builtin_trap();  // a failure always says why
  return 0;
}
