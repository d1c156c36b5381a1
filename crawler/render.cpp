#include "crawler/render.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

extern char** environ;

namespace oit {

tl::expected<std::string, std::string> render_dom(const std::string& url, const RenderOptions& options) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    return tl::unexpected("only http(s) pages are rendered, not " + url);
  if (access(options.chromium.c_str(), X_OK) != 0)
    return tl::unexpected("--render needs Chromium at " + options.chromium + " (Debian: apt-get install chromium)");
  char profile_template[] = "/tmp/oitcheck-render-XXXXXX";
  if (!mkdtemp(profile_template)) return tl::unexpected(std::string("cannot make a browser profile folder in /tmp"));
  std::string profile = profile_template;

  // No background requests of the browser's own; the sandbox only where it can work (not root).
  std::vector<std::string> args = {options.chromium, "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                   "--disable-extensions", "--mute-audio", "--user-data-dir=" + profile,
                                   "--virtual-time-budget=" + std::to_string(options.script_time_ms), "--dump-dom"};
  if (geteuid() == 0) args.insert(args.begin() + 1, "--no-sandbox");
  if (!options.user_agent.empty()) args.push_back("--user-agent=" + options.user_agent);
  args.push_back(url);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return tl::unexpected(std::string("cannot start Chromium: no pipe"));
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_adddup2(&files, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, so the browser's helper processes die with it.
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, options.chromium.c_str(), &files, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    std::filesystem::remove_all(profile);
    return tl::unexpected("cannot start Chromium at " + options.chromium);
  }

  std::string dom;
  bool timed_out = false, cut = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(options.timeout_seconds);
  char buffer[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    ssize_t n = read(out[0], buffer, sizeof buffer);
    if (n <= 0) break;
    size_t room = options.max_bytes - std::min(options.max_bytes, dom.size());
    dom.append(buffer, std::min(static_cast<size_t>(n), room));
    if (static_cast<size_t>(n) > room) {
      cut = true;
      break;
    }
  }
  close(out[0]);
  if (timed_out || cut) kill(-pid, SIGKILL);
  // A browser that closed its output but does not exit is killed at the same deadline.
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-pid, SIGKILL);
      timed_out = true;
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(-pid, SIGKILL);  // helpers that outlived the browser
  std::filesystem::remove_all(profile);
  if (timed_out)
    return tl::unexpected("Chromium did not finish rendering " + url + " within " +
                          std::to_string(static_cast<int>(options.timeout_seconds)) + " s");
  if (!cut && (!WIFEXITED(status) || WEXITSTATUS(status) != 0) && dom.empty())
    return tl::unexpected("Chromium could not render " + url);
  return dom;
}

}  // namespace oit
