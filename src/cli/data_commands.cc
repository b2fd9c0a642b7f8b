// demo, import, export: data in bulk.
#include <fstream>
#include <iostream>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "auth/redaction.h"
#include "cli/context.h"
#include "io/csv.h"
#include "io/demo.h"
#include "io/export.h"
#include "io/import.h"
#include "io/records.h"

namespace izde::cli {
namespace {

constexpr const char* kKinds = "persons, testimonies or events";

// Demo persons as an import file: the columns of `izde export persons`, with `status` set to
// each person's current status, so that importing it also creates one status event each.
Status WriteDemoCsv(const io::DemoOptions& options, const std::string& path, Context& context) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return UnavailableError(fmt::format("cannot write '{}'", path));
  const auto& columns = io::Columns(io::RecordKind::kPersons);
  size_t status_column = 0;
  while (status_column < columns.size() && columns[status_column] != "status") ++status_column;
  io::CsvWriter writer(file);
  writer.WriteRow(std::span<const std::string_view>(columns.data(), columns.size()));
  io::DemoGenerator generator(options, &registry::Gazetteer::Xinjiang());
  io::DemoPerson person;
  auto progress = context.ProgressBar("demo persons");
  while (generator.Next(person)) {
    io::Row row = io::PersonToRow(person.row.person, person.row.events);
    if (status_column < row.values.size()) {
      row.values[status_column] = registry::CurrentStatusName(person.row.events);
      if (row.values[status_column] == "unknown") row.values[status_column].clear();
    }
    writer.WriteRow(std::span<const std::string>(row.values));
    if (progress && generator.generated() % 10'000 == 0) {
      progress(generator.generated(), options.persons);
    }
  }
  file.flush();
  if (!file) return UnavailableError(fmt::format("cannot write '{}'", path));
  context.err() << fmt::format("Wrote {} synthetic persons to {}\n", generator.generated(), path);
  return OkStatus();
}

}  // namespace

void AddDataCommands(CLI::App& app, Context& context, Action& action) {
  // demo
  auto demo_options = std::make_shared<io::DemoOptions>();
  CLI::App* demo = app.add_subcommand(
      "demo", "Add synthetic persons, events and testimonies (never real people)");
  demo->add_option("--persons", demo_options->persons, "How many persons")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}));
  demo->add_option("--seed", demo_options->seed, "The same seed gives the same data")
      ->capture_default_str();
  auto demo_csv = std::make_shared<std::string>();
  demo->add_option("--csv", *demo_csv,
                   "Write the persons to a CSV file for `izde import` instead of the database "
                   "(status column set; no testimonies)");
  demo->callback([&, demo_options, demo_csv] {
    action = [&, demo_options, demo_csv]() -> Status {
      if (!demo_csv->empty()) return WriteDemoCsv(*demo_options, *demo_csv, context);
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      IZDE_ASSIGN_OR_RETURN(io::DemoSummary summary,
                            io::PopulateDemo(*registry, *demo_options, {"demo"},
                                             context.ProgressBar("demo persons")));
      if (context.json) {
        context.PrintJson({{"persons", summary.persons},
                           {"events", summary.events},
                           {"testimonies", summary.testimonies},
                           {"relations", summary.relations}});
      } else {
        context.out() << fmt::format(
            "Added {} synthetic persons, {} events, {} testimonies, {} relations\n",
            summary.persons, summary.events, summary.testimonies, summary.relations);
      }
      return OkStatus();
    };
  });

  // import
  struct ImportFlags {
    std::string kind, path, format, rejects;
    bool skip_bad = false;
    bool dry_run = false;
  };
  auto import_flags = std::make_shared<ImportFlags>();
  CLI::App* import = app.add_subcommand(
      "import", "Import persons, testimonies or events from CSV or JSON Lines (all or nothing)");
  import->add_option("KIND", import_flags->kind, kKinds)->required();
  import->add_option("FILE", import_flags->path, "A .csv or .jsonl file; - for standard input")
      ->required();
  import->add_option("--format", import_flags->format, "csv or jsonl (default: from FILE)");
  import->add_flag("--skip-bad", import_flags->skip_bad,
                   "Import the good rows; write the bad ones with their reasons to a file");
  import->add_option("--rejects", import_flags->rejects,
                     "Where --skip-bad writes rejected rows (default FILE.rejects.EXT)");
  import->add_flag("--dry-run", import_flags->dry_run, "Validate only; write nothing");
  import->callback([&, import_flags] {
    action = [&, import_flags]() -> Status {
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());
      io::ImportOptions options;
      IZDE_ASSIGN_OR_RETURN(options.kind, io::ParseRecordKind(import_flags->kind));
      options.path = import_flags->path;
      if (!import_flags->format.empty()) {
        IZDE_ASSIGN_OR_RETURN(options.format, io::ParseFormat(import_flags->format));
      }
      options.skip_bad = import_flags->skip_bad;
      options.rejects_path = import_flags->rejects;
      options.dry_run = import_flags->dry_run;
      auto importing = context.ProgressBar("importing");
      auto committing = context.ProgressBar("committing");
      if (importing) {
        options.progress = [importing, committing](io::ImportPhase phase, int64_t done,
                                              int64_t total) {
          (phase == io::ImportPhase::kValidating ? importing : committing)(done, total);
        };
      }
      registry::Actor actor{context.actor().name + " import:" + import_flags->path};
      Result<io::ImportReport> imported =
          import_flags->path == "-"
              ? (options.format.has_value()
                     ? io::ImportStream(*registry, std::cin, options, actor)
                     : Result<io::ImportReport>(InvalidArgumentError(
                           "reading standard input needs --format csv or --format jsonl",
                           "format")))
              : io::Import(*registry, options, actor);
      IZDE_RETURN_IF_ERROR(imported.status());
      const io::ImportReport& report = *imported;
      for (const std::string& problem : report.problems) context.err() << problem << "\n";
      if (report.problems_omitted > 0) {
        context.err() << fmt::format("... and {} more problems\n", report.problems_omitted);
      }
      if (context.json) {
        context.PrintJson({{"records", report.records},
                           {"imported", report.imported},
                           {"rejected", report.rejected},
                           {"events_created", report.events_created},
                           {"problems", report.problems},
                           {"problems_omitted", report.problems_omitted},
                           {"rejects_path", report.rejects_path},
                           {"dry_run", report.dry_run}});
      } else if (report.dry_run) {
        context.out() << fmt::format("Dry run: {} records read, {} with problems; nothing written\n",
                                     report.records, report.rejected);
      } else if (!report.refused) {
        context.out() << fmt::format("Imported {} of {} {}", report.imported, report.records,
                                     import_flags->kind);
        if (report.events_created > 0) {
          context.out() << fmt::format(" ({} status events)", report.events_created);
        }
        context.out() << "\n";
        if (!report.rejects_path.empty()) {
          context.out() << fmt::format("{} rejected rows written to {}\n", report.rejected,
                                       report.rejects_path);
        }
      }
      if (report.refused) {
        return InvalidArgumentError(fmt::format(
            "{} of {} records have problems; nothing was imported (see above{})", report.rejected,
            report.records, import_flags->skip_bad ? "" : ", or use --skip-bad"));
      }
      if (!report.clean() && report.dry_run) {
        return InvalidArgumentError(fmt::format("{} records have problems", report.rejected));
      }
      return OkStatus();
    };
  });

  // export
  struct ExportFlags {
    std::string kind, format = "csv", out;
    bool public_only = false;
  };
  auto export_flags = std::make_shared<ExportFlags>();
  CLI::App* export_command = app.add_subcommand(
      "export", "Export persons, testimonies or events (re-imports losslessly)");
  export_command->add_option("KIND", export_flags->kind, kKinds)->required();
  export_command->add_option("--format", export_flags->format, "csv or jsonl")
      ->capture_default_str();
  export_command->add_option("--out", export_flags->out, "Output file (default: standard output)");
  export_command->add_flag("--public", export_flags->public_only,
                           "Only what the public may see (docs/privacy.md): public entries, "
                           "redacted");
  export_command->callback([&, export_flags] {
    action = [&, export_flags]() -> Status {
      IZDE_RETURN_IF_ERROR(context.OpenRegistry().status());
      io::ExportOptions options;
      IZDE_ASSIGN_OR_RETURN(options.kind, io::ParseRecordKind(export_flags->kind));
      IZDE_ASSIGN_OR_RETURN(options.format, io::ParseFormat(export_flags->format));
      // The public export goes through the one redaction policy, as the API's public view
      // and the public statistics do.
      std::optional<auth::Redactor> redactor;
      if (export_flags->public_only) {
        redactor.emplace(auth::Role::kAnonymous, context.store());
        IZDE_RETURN_IF_ERROR(redactor->Preload(context.store()));
        options.filter = redactor->ExportFilter();
      }
      if (export_flags->out.empty()) {
        IZDE_ASSIGN_OR_RETURN(io::ExportReport report,
                              io::Export(context.store(), options, context.out()));
        (void)report;
        return OkStatus();
      }
      // Written beside the target and renamed over it: never a half-written export.
      std::string partial = export_flags->out + ".partial";
      std::ofstream file(partial, std::ios::binary | std::ios::trunc);
      if (!file) return UnavailableError(fmt::format("cannot write '{}'", partial));
      Result<io::ExportReport> report = io::Export(context.store(), options, file);
      file.close();
      if (!report.ok() || !file) {
        std::remove(partial.c_str());
        return report.ok() ? UnavailableError(fmt::format("cannot write '{}'", partial))
                           : report.status();
      }
      if (std::rename(partial.c_str(), export_flags->out.c_str()) != 0) {
        std::remove(partial.c_str());
        return UnavailableError(fmt::format("cannot write '{}'", export_flags->out));
      }
      context.err() << fmt::format("Exported {} {} to {} ({} withheld as not public)\n",
                                   report->records, export_flags->kind, export_flags->out,
                                   report->withheld);
      return OkStatus();
    };
  });
}

}  // namespace izde::cli
