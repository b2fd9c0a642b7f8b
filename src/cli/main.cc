#include "cli/app.h"
#include "cli/huge_pages.h"

int main(int argc, char** argv) {
  izde::cli::RestartWithHugePages(argv);
  return izde::cli::Main(argc, argv);
}
