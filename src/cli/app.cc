#include "cli/app.h"

#include <CLI/CLI.hpp>

namespace izde::cli {

int Main(int argc, char** argv) {
  CLI::App app{"izde: a registry of people missing or detained in Xinjiang"};
  CLI11_PARSE(app, argc, argv);
  return 0;
}

}  // namespace izde::cli
