#include "cli/huge_pages.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace izde::cli {
namespace {

constexpr std::string_view kTunable = "glibc.malloc.hugetlb";

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

}  // namespace

std::optional<std::string> HugePageTunables(std::string_view thp_mode,
                                            std::optional<std::string_view> tunables) {
  if (thp_mode.find("[madvise]") == std::string_view::npos) return std::nullopt;
  if (tunables && tunables->find(kTunable) != std::string_view::npos) return std::nullopt;
  std::string value(kTunable);
  value += "=1";
  if (tunables && !tunables->empty()) value = std::string(*tunables) + ":" + value;
  return value;
}

void RestartWithHugePages(char** argv) {
#ifdef __GLIBC__
  if (kSanitized || argv == nullptr || argv[0] == nullptr) return;
  if (const char* opt = std::getenv("IZDE_HUGE_PAGES");
      opt != nullptr && std::string_view(opt) == "0") {
    return;
  }
  std::ifstream mode_file("/sys/kernel/mm/transparent_hugepage/enabled");
  std::stringstream mode;
  mode << mode_file.rdbuf();
  const char* current = std::getenv("GLIBC_TUNABLES");
  std::optional<std::string> tunables = HugePageTunables(
      mode.str(), current != nullptr ? std::optional<std::string_view>(current) : std::nullopt);
  if (!tunables) return;
  if (setenv("GLIBC_TUNABLES", tunables->c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // exec failed (no /proc, say): run on without huge pages; a restart of the restart cannot
  // happen, as the tunable is now set.
#else
  (void)argv;
#endif
}

}  // namespace izde::cli
