#include "core/log.h"

#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace izde {

Status InitLogging(std::string_view level) {
  spdlog::level::level_enum parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    return InvalidArgumentError("unknown log level '" + std::string(level) + "'", "log_level");
  }
  auto logger = spdlog::stderr_color_mt("izde");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(parsed);
  spdlog::set_default_logger(logger);
  return OkStatus();
}

}  // namespace izde
