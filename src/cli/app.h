#ifndef IZDE_CLI_APP_H_
#define IZDE_CLI_APP_H_

namespace izde::cli {

// The `izde` command. Returns the process exit code: 0 success, 1 bad input or a failed
// operation, 2 a usage error.
int Main(int argc, char** argv);

}  // namespace izde::cli

#endif  // IZDE_CLI_APP_H_
