// The Xapian peer of bench/search-compare: every name form a document of character-trigram
// terms, a query the OR of its trigrams ranked by BM25, collapsed to one hit per person, top 10.
// Built by bench/search-compare with g++ and xapian-config (Debian libxapian-dev), never by the
// project's build, so that Xapian stays out of izde's dependencies.
//
//   xapian_trigram NAMES.tsv QUERIES.tsv COLUMN DB_DIR OUT.tsv
//
// COLUMN is "name" (the form as written) or "latin" (izde's ASCII form of it). OUT.tsv gets
// query_id, wall_us, cpu_us, rank (0 when the person is not in the top 10).
#include <time.h>
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t')) fields.push_back(field);
  if (!line.empty() && line.back() == '\t') fields.emplace_back();
  return fields;
}

// Lower-cased, padded with one space on each side ("Ilham" -> " ilham "), split into code
// point trigrams, spaces included so that word starts and ends count (as pg_trgm does).
std::vector<std::string> Trigrams(const std::string& text) {
  std::vector<unsigned> points = {' '};
  for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) {
    unsigned point = Xapian::Unicode::tolower(*it);
    if (point == '\t') point = ' ';
    if (point == ' ' && points.back() == ' ') continue;
    points.push_back(point);
  }
  if (points.back() != ' ') points.push_back(' ');
  std::vector<std::string> trigrams;
  for (size_t idx = 0; idx + 3 <= points.size(); ++idx) {
    std::string term;
    for (size_t offset = 0; offset < 3; ++offset)
      Xapian::Unicode::append_utf8(term, points[idx + offset]);
    trigrams.push_back(term);
  }
  return trigrams;
}

double CpuMicros() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: xapian_trigram NAMES.tsv QUERIES.tsv name|latin DB_DIR OUT.tsv\n";
    return 2;
  }
  const std::string column = argv[3];
  const size_t name_col = column == "latin" ? 4 : 3;   // in names.tsv
  const size_t query_col = column == "latin" ? 5 : 4;  // in queries.tsv
  try {
    auto start = std::chrono::steady_clock::now();
    {
      Xapian::WritableDatabase db(argv[4], Xapian::DB_CREATE_OR_OVERWRITE);
      std::ifstream names(argv[1]);
      std::string line;
      while (std::getline(names, line)) {
        std::vector<std::string> fields = SplitTabs(line);
        if (fields.size() <= name_col) continue;
        Xapian::Document doc;
        for (const std::string& trigram : Trigrams(fields[name_col])) doc.add_term(trigram);
        doc.add_value(0, fields[0]);
        db.add_document(doc);
      }
      db.commit();
    }
    const double build_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "xapian_trigram (" << column << "): index built in " << build_s << " s\n";

    Xapian::Database db(argv[4]);
    Xapian::Enquire enquire(db);
    enquire.set_collapse_key(0);
    std::ifstream queries(argv[2]);
    std::ofstream out(argv[5]);
    std::string line;
    while (std::getline(queries, line)) {
      std::vector<std::string> fields = SplitTabs(line);
      if (fields.size() <= query_col) continue;
      const double cpu_start = CpuMicros();
      auto query_start = std::chrono::steady_clock::now();
      std::vector<std::string> trigrams = Trigrams(fields[query_col]);
      size_t rank = 0;
      if (!trigrams.empty()) {
        enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, trigrams.begin(), trigrams.end()));
        Xapian::MSet hits = enquire.get_mset(0, 10);
        size_t position = 0;
        for (Xapian::MSetIterator hit = hits.begin(); hit != hits.end(); ++hit) {
          ++position;
          if (hit.get_document().get_value(0) == fields[2]) {
            rank = position;
            break;
          }
        }
      }
      const double wall =
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - query_start)
              .count();
      out << fields[0] << '\t' << wall << '\t' << CpuMicros() - cpu_start << '\t' << rank << '\n';
    }
    std::cout << build_s << '\n';
  } catch (const Xapian::Error& error) {
    std::cerr << "xapian_trigram: " << error.get_description() << '\n';
    return 1;
  }
  return 0;
}
