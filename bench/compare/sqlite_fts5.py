#!/usr/bin/env python3
"""The SQLite FTS5 peer of bench/search-compare: every name form a row of an FTS5 table with the
trigram tokenizer; a query is the OR of its trigrams, ranked by bm25 (FTS5's `rank`), the best
rows collapsed to persons, top 10.

    sqlite_fts5.py NAMES.tsv QUERIES.tsv name|latin DB OUT.tsv

OUT.tsv: query_id, wall_us, cpu_us, rank (0 when the person is not in the top 10)."""
import sqlite3
import sys
import time


def trigrams(text):
    # As the trigram tokenizer cuts the text: every run of three characters, spaces included,
    # case folded. Each becomes a quoted phrase (a double quote inside is doubled).
    text = " ".join(text.lower().split())
    grams = {text[idx:idx + 3] for idx in range(len(text) - 2)}
    return ['"' + gram.replace('"', '""') + '"' for gram in sorted(grams)]


def main():
    names_path, queries_path, column, db_path, out_path = sys.argv[1:6]
    name_col, query_col = (4, 5) if column == "latin" else (3, 4)
    start = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("DROP TABLE IF EXISTS forms")
    db.execute("CREATE VIRTUAL TABLE forms USING fts5(name, person_id UNINDEXED, "
               "tokenize='trigram')")
    with open(names_path, encoding="utf-8") as names:
        rows = ((fields[name_col], int(fields[0]))
                for fields in (line.rstrip("\n").split("\t") for line in names))
        db.executemany("INSERT INTO forms(name, person_id) VALUES (?, ?)", rows)
    db.commit()
    build_s = time.perf_counter() - start
    print(f"sqlite_fts5 ({column}): index built in {build_s:.1f} s", file=sys.stderr)

    sql = "SELECT person_id FROM forms WHERE forms MATCH ? ORDER BY rank LIMIT 50"
    with open(queries_path, encoding="utf-8") as queries, open(out_path, "w") as out:
        for line in queries:
            fields = line.rstrip("\n").split("\t")
            query_id, person_id, text = fields[0], int(fields[2]), fields[query_col]
            cpu_start = time.thread_time()
            wall_start = time.perf_counter()
            terms = trigrams(text)
            rank = 0
            if terms:
                persons = []
                for (hit,) in db.execute(sql, (" OR ".join(terms),)):
                    if hit not in persons:
                        persons.append(hit)
                        if len(persons) == 10:
                            break
                if person_id in persons:
                    rank = persons.index(person_id) + 1
            wall = (time.perf_counter() - wall_start) * 1e6
            cpu = (time.thread_time() - cpu_start) * 1e6
            out.write(f"{query_id}\t{wall:.0f}\t{cpu:.0f}\t{rank}\n")
    print(f"{build_s:.1f}")


if __name__ == "__main__":
    main()
