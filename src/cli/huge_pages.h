#ifndef IZDE_CLI_HUGE_PAGES_H_
#define IZDE_CLI_HUGE_PAGES_H_

#include <optional>
#include <string>
#include <string_view>

namespace izde::cli {

// The name index holds hundreds of megabytes in many small heap blocks. With 4 KiB pages, the
// first touch of each page is a page fault, and on a virtual machine a fault is dear: reading a
// 100k-person index snapshot spent most of its time in them. Transparent huge pages (2 MiB)
// cut the faults 512-fold, but when the kernel's mode is "madvise" glibc's malloc asks for them
// only when its tunable glibc.malloc.hugetlb=1 is set, and glibc reads tunables once, at start.
// So `izde` sets the tunable and starts itself again, once (docs/search.md "Huge pages").

// The GLIBC_TUNABLES value to restart with, given the kernel's THP mode (the text of
// /sys/kernel/mm/transparent_hugepage/enabled, e.g. "always [madvise] never") and the current
// GLIBC_TUNABLES (nullopt when unset); nullopt when no restart would help: THP off ("[never]")
// or already on for all memory ("[always]"), the tunable already set (by the user or by the
// first start), or the mode unknown.
std::optional<std::string> HugePageTunables(std::string_view thp_mode,
                                            std::optional<std::string_view> tunables);

// Restarts this program (/proc/self/exe, same arguments) with HugePageTunables' value when it
// gives one, unless IZDE_HUGE_PAGES=0 is set. Returns only when no restart happened (not
// wanted, or exec failed: then izde runs on as it is). A no-op without glibc or under the
// sanitizers, whose allocator is their own.
void RestartWithHugePages(char** argv);

}  // namespace izde::cli

#endif  // IZDE_CLI_HUGE_PAGES_H_
