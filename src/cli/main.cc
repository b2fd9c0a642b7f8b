#include "cli/app.h"

int main(int argc, char** argv) { return izde::cli::Main(argc, argv); }
