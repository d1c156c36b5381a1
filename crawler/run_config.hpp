// The run config file (JSON, documented in docs/nightly.md) that makes a nightly job one line:
// site, rule set, output folder, bounds, politeness, history, notification.
#pragma once

#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "crawler/run_job.hpp"
#include "rules/json_reader.hpp"

namespace oit {

// Every error names the file, the JSON pointer, what was expected and what was found.
tl::expected<RunJob, std::vector<InputError>> load_run_config(const std::string& path, const RunJob& defaults);

}  // namespace oit
