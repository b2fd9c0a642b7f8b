// link: Fellegi-Sunter linkage of two CSV files, or deduplication of one, outside the registry
// (docs/linkage.md).
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cli/context.h"
#include "io/csv.h"
#include "match/comparison.h"
#include "match/linkage.h"

namespace izde::cli {
namespace {

struct LinkFlags {
  std::string left, right, id, date, out, clusters, model = "izde", model_out;
  std::vector<std::string> name_columns;
  std::vector<std::string> fields;  // COL or COL:exact
  double threshold = 0;
  uint64_t seed = 1;
  size_t max_block = 500;
  bool explain = false;
  bool fix_u = false;
};

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// One CSV file, read whole: the ids and, per record, the values of the linkage fields.
struct Table {
  std::vector<std::string> ids;
  std::vector<std::vector<std::string>> rows;
};

// Which columns of the file make each field: a name may join several (their values joined by
// a space); every other field is one column.
struct FieldColumns {
  match::FieldSpec spec;
  std::vector<std::string> columns;
};

Result<Table> ReadTable(const std::string& path, const std::string& id_column,
                        const std::vector<FieldColumns>& fields,
                        const std::function<void(int64_t, int64_t)>& progress) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(fmt::format("cannot open {}", path));
  in.seekg(0, std::ios::end);
  int64_t size = static_cast<int64_t>(in.tellg());
  in.seekg(0, std::ios::beg);
  io::CsvReader reader(in);
  Result<bool> header_read = reader.Next();
  if (!header_read.ok()) {
    return InvalidArgumentError(
        fmt::format("{} line {}: {}", path, reader.error_line(), header_read.status().message()));
  }
  if (!*header_read) return InvalidArgumentError(fmt::format("{} is empty: no header", path));
  std::unordered_map<std::string, size_t> column_of;
  std::vector<std::string> header;
  for (const std::string& column : reader.fields()) {
    header.emplace_back(Trim(column));
    column_of.try_emplace(header.back(), header.size() - 1);
  }
  auto find_column = [&](const std::string& name) -> Result<size_t> {
    auto found = column_of.find(name);
    if (found != column_of.end()) return found->second;
    std::string present;
    for (const std::string& column : header) present += (present.empty() ? "" : ", ") + column;
    return InvalidArgumentError(
        fmt::format("{}: no column \"{}\"; its columns are: {}", path, name, present), name);
  };
  IZDE_ASSIGN_OR_RETURN(size_t id_idx, find_column(id_column));
  std::vector<std::vector<size_t>> field_idx;
  for (const FieldColumns& field : fields) {
    std::vector<size_t> indices;
    for (const std::string& column : field.columns) {
      IZDE_ASSIGN_OR_RETURN(size_t idx, find_column(column));
      indices.push_back(idx);
    }
    field_idx.push_back(std::move(indices));
  }

  Table table;
  std::unordered_map<std::string, int64_t> line_of_id;
  while (true) {
    Result<bool> more = reader.Next();
    if (!more.ok()) {
      return InvalidArgumentError(
          fmt::format("{} line {}: {}", path, reader.error_line(), more.status().message()));
    }
    if (!*more) break;
    std::span<const std::string> values = reader.fields();
    if (values.size() != header.size()) {
      return InvalidArgumentError(fmt::format("{} line {}: {} fields where the header has {}", path,
                                              reader.line(), values.size(), header.size()));
    }
    std::string id(Trim(values[id_idx]));
    if (id.empty()) {
      return InvalidArgumentError(
          fmt::format("{} line {}: empty id in column \"{}\"", path, reader.line(), id_column),
          id_column);
    }
    auto [seen, inserted] = line_of_id.try_emplace(id, reader.line());
    if (!inserted) {
      return InvalidArgumentError(fmt::format("{} line {}: id \"{}\" repeats line {}", path,
                                              reader.line(), id, seen->second),
                                  id_column);
    }
    std::vector<std::string> row;
    for (const std::vector<size_t>& indices : field_idx) {
      std::string value;
      for (size_t idx : indices) {
        std::string_view part = Trim(values[idx]);
        if (part.empty()) continue;
        if (!value.empty()) value += ' ';
        value += part;
      }
      row.push_back(std::move(value));
    }
    table.ids.push_back(std::move(id));
    table.rows.push_back(std::move(row));
    if (progress && table.ids.size() % 5000 == 0) progress(reader.bytes_read(), size);
  }
  if (progress) progress(size, size);
  return table;
}

Result<std::vector<FieldColumns>> Fields(const LinkFlags& flags) {
  std::vector<FieldColumns> fields;
  // Each field built in place: GCC 12 at -O2 warned that the strings of a braced temporary
  // pushed into the vector "may be used uninitialized" (-Wmaybe-uninitialized, a false positive).
  auto add = [&fields](const std::string& name, match::FieldKind kind,
                       std::vector<std::string> columns) {
    FieldColumns& field = fields.emplace_back();
    field.spec.name = name;
    field.spec.kind = kind;
    field.columns = std::move(columns);
  };
  if (flags.name_columns.empty()) return InvalidArgumentError("--name needs a column", "name");
  if (flags.name_columns.size() == 1) {
    // One name, compared whole by the name engine whatever the order of its parts.
    add("name", match::FieldKind::kName, flags.name_columns);
  } else {
    // Each name column its own field: EM learns that a shared surname says more than a shared
    // given name (and the izde model still notices a part that moved to another column).
    for (const std::string& column : flags.name_columns) {
      add(column, match::FieldKind::kName, {column});
    }
  }
  if (!flags.date.empty()) add(flags.date, match::FieldKind::kDate, {flags.date});
  for (const std::string& field : flags.fields) {
    std::string column = field;
    match::FieldKind kind = match::FieldKind::kString;
    size_t colon = field.rfind(':');
    if (colon != std::string::npos) {
      std::string suffix = field.substr(colon + 1);
      column = field.substr(0, colon);
      if (suffix == "exact") {
        kind = match::FieldKind::kExact;
      } else if (suffix == "date") {
        kind = match::FieldKind::kDate;
      } else if (suffix != "string") {
        return InvalidArgumentError(
            fmt::format("--field {}: unknown kind \"{}\" (string, exact or date)", field, suffix),
            "field");
      }
    }
    if (column.empty()) return InvalidArgumentError("--field needs a column name", "field");
    add(column, kind, {column});
  }
  return fields;
}

std::string FormatWeight(double weight) { return fmt::format("{:.3f}", weight); }

Status RunLink(Context& context, const LinkFlags& flags) {
  match::ModelKind model = match::ModelKind::kIzde;
  if (flags.model == "plain") {
    model = match::ModelKind::kPlain;
  } else if (flags.model != "izde") {
    return InvalidArgumentError(fmt::format("unknown model \"{}\": izde or plain", flags.model),
                                "model");
  }
  IZDE_ASSIGN_OR_RETURN(std::vector<FieldColumns> fields, Fields(flags));
  IZDE_ASSIGN_OR_RETURN(Table left, ReadTable(flags.left, flags.id, fields,
                                              context.ProgressBar("reading " + flags.left)));
  Table right;
  if (!flags.right.empty()) {
    IZDE_ASSIGN_OR_RETURN(right, ReadTable(flags.right, flags.id, fields,
                                           context.ProgressBar("reading " + flags.right)));
  }
  if (left.ids.empty()) return InvalidArgumentError(fmt::format("{} has no records", flags.left));
  if (!flags.right.empty() && right.ids.empty()) {
    return InvalidArgumentError(fmt::format("{} has no records", flags.right));
  }
  size_t left_count = left.ids.size();
  std::vector<std::string> ids = std::move(left.ids);
  ids.insert(ids.end(), std::make_move_iterator(right.ids.begin()),
             std::make_move_iterator(right.ids.end()));
  std::vector<std::vector<std::string>> rows = std::move(left.rows);
  rows.insert(rows.end(), std::make_move_iterator(right.rows.begin()),
              std::make_move_iterator(right.rows.end()));
  if (ids.size() < 2) return InvalidArgumentError("nothing to link: fewer than two records");
  if (ids.size() > UINT32_MAX / 2) return InvalidArgumentError("too many records to link");

  std::vector<match::FieldSpec> specs;
  for (const FieldColumns& field : fields) specs.push_back(field.spec);
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<match::Comparator> comparator,
                        match::Comparator::Create(std::move(specs), model, std::move(rows),
                                                  context.ProgressBar("analysing")));

  match::LinkOptions options;
  options.seed = flags.seed;
  options.max_block = flags.max_block;
  options.em.fix_u = flags.fix_u;
  auto current_stage = std::make_shared<std::string>();
  auto bar = std::make_shared<std::function<void(int64_t, int64_t)>>();
  options.progress = [&context, current_stage, bar](std::string_view stage, int64_t done,
                                                    int64_t total) {
    if (*current_stage != stage) {
      *current_stage = std::string(stage);
      *bar = context.ProgressBar(std::string(stage));
    }
    if (*bar) (*bar)(done, total);
  };
  match::Linker linker(*comparator, left_count, options);
  linker.Train();
  std::vector<match::ScoredPair> pairs = linker.Pairs(flags.threshold);

  std::ofstream out(flags.out, std::ios::binary);
  if (!out) return UnavailableError(fmt::format("cannot write {}", flags.out));
  io::CsvWriter pairs_writer(out);
  std::vector<std::string> header = {"left_id", "right_id", "score"};
  if (flags.explain) header.emplace_back("explanation");
  pairs_writer.WriteRow(header);
  for (const match::ScoredPair& pair : pairs) {
    std::vector<std::string> row = {ids[pair.left], ids[pair.right], FormatWeight(pair.score)};
    if (flags.explain) {
      std::string explanation;
      for (const match::FieldWeight& field : linker.Explain(pair.left, pair.right)) {
        if (!explanation.empty()) explanation += "; ";
        explanation += fmt::format("{} {:+.2f} {}", field.field, field.weight, field.value);
      }
      row.push_back(std::move(explanation));
    }
    pairs_writer.WriteRow(row);
  }
  out.flush();
  if (!out) return UnavailableError(fmt::format("cannot write {}", flags.out));

  size_t cluster_count = 0;
  if (!flags.clusters.empty()) {
    std::vector<uint32_t> component = match::ConnectedComponents(ids.size(), pairs);
    std::ofstream clusters(flags.clusters, std::ios::binary);
    if (!clusters) return UnavailableError(fmt::format("cannot write {}", flags.clusters));
    io::CsvWriter writer(clusters);
    bool two_files = !flags.right.empty();
    std::vector<std::string> cluster_header = {"id", "cluster_id"};
    if (two_files) cluster_header.emplace_back("source");
    writer.WriteRow(cluster_header);
    for (size_t record = 0; record < ids.size(); ++record) {
      std::vector<std::string> row = {ids[record], fmt::format("{}", component[record] + 1)};
      if (two_files) row.emplace_back(record < left_count ? "left" : "right");
      writer.WriteRow(row);
      cluster_count = std::max<size_t>(cluster_count, component[record] + 1);
    }
    clusters.flush();
    if (!clusters) return UnavailableError(fmt::format("cannot write {}", flags.clusters));
  }

  if (!flags.model_out.empty()) {
    std::ofstream model_file(flags.model_out, std::ios::binary);
    if (!model_file) return UnavailableError(fmt::format("cannot write {}", flags.model_out));
    io::CsvWriter writer(model_file);
    writer.WriteRow(std::vector<std::string>{"field", "level", "m", "u", "weight"});
    const match::FsParameters& parameters = linker.parameters();
    writer.WriteRow(std::vector<std::string>{"prior", "lambda",
                                             fmt::format("{:.6g}", parameters.lambda), "",
                                             FormatWeight(linker.prior_weight())});
    for (size_t field_idx = 0; field_idx < comparator->fields().size(); ++field_idx) {
      for (int level = 0; level < comparator->levels(field_idx); ++level) {
        auto level_idx = static_cast<size_t>(level);
        writer.WriteRow(
            std::vector<std::string>{comparator->fields()[field_idx].name,
                                     std::string(comparator->LevelName(field_idx, level)),
                                     fmt::format("{:.6g}", parameters.m[field_idx][level_idx]),
                                     fmt::format("{:.6g}", parameters.u[field_idx][level_idx]),
                                     FormatWeight(linker.LevelWeight(field_idx, level))});
      }
    }
  }

  const match::LinkStats& stats = linker.stats();
  context.err() << fmt::format(
      "link ({} model): {} records{}; {} candidate pairs of {} from {} blocks ({} larger than "
      "{} skipped); EM {} in {} iterations, {:.4g} of the candidates are matches; {} pairs with "
      "score >= {}{}\n",
      flags.model, stats.left,
      stats.right > 0 ? fmt::format(" + {}", stats.right) : std::string(" (deduplicated)"),
      stats.candidates, stats.all_pairs, stats.blocks, stats.blocks_skipped, flags.max_block,
      linker.em_result().converged ? "converged" : "stopped", linker.em_result().iterations,
      linker.em_result().lambda, pairs.size(), flags.threshold,
      flags.clusters.empty() ? std::string() : fmt::format(", {} clusters", cluster_count));
  return OkStatus();
}

}  // namespace

void AddLinkCommands(CLI::App& app, Context& context, Action& action) {
  auto flags = std::make_shared<LinkFlags>();
  CLI::App* link = app.add_subcommand(
      "link", "Link two CSV files, or deduplicate one, by a Fellegi-Sunter model trained by EM");
  link->add_option("--left", flags->left, "The CSV file to link (or to deduplicate alone)")
      ->required();
  link->add_option("--right", flags->right, "A second CSV file to link the first with");
  link->add_option("--id", flags->id, "Column with each record's id (unique in its file)")
      ->required();
  link->add_option("--name", flags->name_columns,
                   "Name column(s), comma-separated: given_name,surname")
      ->required()
      ->delimiter(',');
  link->add_option("--date", flags->date, "Date column (birth date), full or partial");
  link->add_option("--field", flags->fields,
                   "Another column to compare: COL (text), COL:exact (a code) or COL:date");
  link->add_option("--out", flags->out, "Where to write the pairs: left_id,right_id,score")
      ->required();
  link->add_option("--clusters", flags->clusters, "Where to write the clusters: id,cluster_id");
  link->add_option("--threshold", flags->threshold,
                   "Least score (log2 odds of a match) of a pair written")
      ->capture_default_str();
  link->add_option("--model", flags->model, "izde, or plain (a Splink-style baseline)")
      ->capture_default_str();
  link->add_option("--seed", flags->seed, "Seed of the random pairs that estimate u")
      ->capture_default_str();
  link->add_option("--max-block", flags->max_block, "Skip blocking keys held by more records")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000000));
  link->add_option("--model-out", flags->model_out, "Write the learned m, u and weights as CSV");
  link->add_flag("--fix-u", flags->fix_u,
                 "Keep u from random pairs during EM (Splink's way) instead of estimating it");
  link->add_flag("--explain", flags->explain, "Add each pair's per-field match weights");
  link->callback([&, flags] { action = [&, flags]() { return RunLink(context, *flags); }; });
}

}  // namespace izde::cli
