#include "cli/huge_pages.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace izde::cli {
namespace {

TEST(HugePagesTest, RestartsWithTheTunableOnlyWhenTheKernelWaitsToBeAsked) {
  EXPECT_EQ(HugePageTunables("always [madvise] never\n", std::nullopt),
            std::optional<std::string>("glibc.malloc.hugetlb=1"));
  // Already on for every mapping, or off: a restart would change nothing.
  EXPECT_EQ(HugePageTunables("[always] madvise never\n", std::nullopt), std::nullopt);
  EXPECT_EQ(HugePageTunables("always madvise [never]\n", std::nullopt), std::nullopt);
  // No THP support at all (the file is missing: empty text).
  EXPECT_EQ(HugePageTunables("", std::nullopt), std::nullopt);
}

TEST(HugePagesTest, KeepsTheUsersTunablesAndNeverRestartsTwice) {
  EXPECT_EQ(HugePageTunables("always [madvise] never", "glibc.malloc.arena_max=2"),
            std::optional<std::string>("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"));
  EXPECT_EQ(HugePageTunables("always [madvise] never", ""),
            std::optional<std::string>("glibc.malloc.hugetlb=1"));
  // Set by the first start (or by the user, to 0 or 2): no second restart.
  EXPECT_EQ(HugePageTunables("always [madvise] never", "glibc.malloc.hugetlb=1"), std::nullopt);
  EXPECT_EQ(HugePageTunables("always [madvise] never", "x=1:glibc.malloc.hugetlb=0"), std::nullopt);
}

}  // namespace
}  // namespace izde::cli
