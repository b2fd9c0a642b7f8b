#include "cli/context.h"

namespace izde::cli {
void AddDataCommands(CLI::App&, Context&, Action&) {}
}  // namespace izde::cli
