// user add/list/disable/enable/passwd: the accounts of the server (docs/server.md).
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "auth/users.h"
#include "cli/context.h"

namespace izde::cli {
namespace {

// One line from stdin without its line ending, for --password-stdin.
Result<std::string> ReadPasswordLine() {
  std::string line;
  if (!std::getline(std::cin, line)) {
    return InvalidArgumentError("--password-stdin: nothing on standard input", "password");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The password to set: read from stdin, or generated and printed once.
Result<std::string> ChoosePassword(bool from_stdin, bool* generated) {
  *generated = !from_stdin;
  if (from_stdin) return ReadPasswordLine();
  return auth::GeneratePassword();
}

}  // namespace

void AddUserCommands(CLI::App& app, Context& context, Action& action) {
  struct UserFlags {
    std::string name, role = "viewer";
    bool password_stdin = false;
  };
  auto flags = std::make_shared<UserFlags>();
  CLI::App* user = app.add_subcommand("user", "Accounts of the server: add, list, disable, passwd");
  user->require_subcommand(1);

  CLI::App* add = user->add_subcommand("add", "Add an account; prints its generated password once");
  add->add_option("NAME", flags->name, "Login name: a-z, 0-9, '.', '_', '-'")->required();
  add->add_option("--role", flags->role, "viewer, editor, reviewer or admin")
      ->capture_default_str();
  add->add_flag("--password-stdin", flags->password_stdin,
                "Read the password from the first line of standard input");
  add->callback([&, flags] {
    action = [&, flags]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      bool generated = false;
      IZDE_ASSIGN_OR_RETURN(std::string password,
                            ChoosePassword(flags->password_stdin, &generated));
      auth::Users users(registry->store());
      IZDE_ASSIGN_OR_RETURN(registry::User created,
                            users.Add(flags->name, flags->role, password, context.actor().name));
      if (context.json) {
        nlohmann::json json = auth::UserJson(created);
        if (generated) json["password"] = password;
        context.PrintJson(json);
        return OkStatus();
      }
      context.out() << fmt::format("Added {} {} ({}).\n", FormatId(IdKind::kUser, created.id),
                                   created.name, created.role);
      if (generated) {
        context.out() << fmt::format("Password (shown once, pass it on safely): {}\n", password);
      }
      return OkStatus();
    };
  });

  CLI::App* list = user->add_subcommand("list", "List the accounts");
  list->callback([&] {
    action = [&]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      IZDE_ASSIGN_OR_RETURN(std::vector<registry::User> all, registry->store().ListUsers());
      if (context.json) {
        nlohmann::json json = nlohmann::json::array();
        for (const registry::User& each : all) json.push_back(auth::UserJson(each));
        context.PrintJson(json);
        return OkStatus();
      }
      if (all.empty())
        context.out() << "No accounts. Add one with `izde user add NAME --role admin`.\n";
      for (const registry::User& each : all) {
        context.out() << fmt::format("{}  {:<20} {:<9} {}{}\n", FormatId(IdKind::kUser, each.id),
                                     each.name, each.role, each.created_at,
                                     each.disabled ? "  disabled" : "");
      }
      return OkStatus();
    };
  });

  for (bool disable : {true, false}) {
    CLI::App* toggle = user->add_subcommand(disable ? "disable" : "enable",
                                            disable ? "Disable an account: it can no longer sign in"
                                                    : "Enable a disabled account again");
    toggle->add_option("NAME", flags->name, "Login name")->required();
    toggle->callback([&, flags, disable] {
      action = [&, flags, disable]() -> Status {
        IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
        auth::Users users(registry->store());
        IZDE_ASSIGN_OR_RETURN(registry::User changed,
                              users.SetDisabled(flags->name, disable, context.actor().name));
        context.out() << fmt::format("{} {}.\n", changed.name, disable ? "disabled" : "enabled");
        return OkStatus();
      };
    });
  }

  CLI::App* passwd =
      user->add_subcommand("passwd", "Set a new password; prints it once if generated");
  passwd->add_option("NAME", flags->name, "Login name")->required();
  passwd->add_flag("--password-stdin", flags->password_stdin,
                   "Read the password from the first line of standard input");
  passwd->callback([&, flags] {
    action = [&, flags]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      bool generated = false;
      IZDE_ASSIGN_OR_RETURN(std::string password,
                            ChoosePassword(flags->password_stdin, &generated));
      auth::Users users(registry->store());
      IZDE_ASSIGN_OR_RETURN(registry::User changed,
                            users.SetPassword(flags->name, password, context.actor().name));
      context.out() << fmt::format("Password of {} changed.\n", changed.name);
      if (generated) context.out() << fmt::format("New password (shown once): {}\n", password);
      return OkStatus();
    };
  });
}

}  // namespace izde::cli
