#ifndef IZDE_TESTS_TESTING_RUN_IZDE_H_
#define IZDE_TESTS_TESTING_RUN_IZDE_H_

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace izde::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Single-quotes a shell word.
inline std::string ShellQuote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// Runs the real `izde` program ($IZDE_BINARY, else the one built with the tests) with `args`, in `dir`, and
// collects its exit code and output.
inline RunResult RunIzde(const TempDir& dir, const std::vector<std::string>& args,
                         const std::string& stdin_text = "") {
  const char* binary = std::getenv("IZDE_BINARY");
  std::string command = ShellQuote(binary != nullptr ? binary : IZDE_DEFAULT_BINARY);
  for (const std::string& arg : args) command += " " + ShellQuote(arg);
  std::string in_path = dir.File(".stdin");
  std::ofstream(in_path, std::ios::binary) << stdin_text;
  command += " <" + ShellQuote(in_path) + " >" + ShellQuote(dir.File(".stdout")) + " 2>" +
             ShellQuote(dir.File(".stderr"));
  int status = std::system(("cd " + ShellQuote(dir.path().string()) + " && " + command).c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadWholeFile(dir.File(".stdout"));
  result.err = ReadWholeFile(dir.File(".stderr"));
  return result;
}

}  // namespace izde::testing

#endif  // IZDE_TESTS_TESTING_RUN_IZDE_H_
