#ifndef IZDE_CORE_LOG_H_
#define IZDE_CORE_LOG_H_

#include <string_view>

#include <spdlog/spdlog.h>

#include "core/status.h"

namespace izde {

// Sets up the process-wide logger: messages go to stderr, at `level` ("debug", "info",
// "warn", "error", "off"). Returns kInvalidArgument for an unknown level.
// Use spdlog::info(...) and friends afterwards.
Status InitLogging(std::string_view level);

}  // namespace izde

#endif  // IZDE_CORE_LOG_H_
