#!/usr/bin/env python3
"""Prints bench/search-compare's table from the files its run left in DIR.

    summarize.py DIR

DIR/queries.tsv (query_id, kind, person_id, ...), DIR/results/<engine>.tsv (query_id, wall_us,
cpu_us, rank) with DIR/results/<engine>.build (index build seconds), and for the bulk part
DIR/bulk/{list.csv, izde-match.csv, izde-match.json, duckdb.tsv, duckdb.json}."""
import csv
import json
import os
import sys

KINDS = ["exact", "typo", "reorder", "cross"]
ENGINES = [
    ("izde", "izde, C++ index (name alone)"),
    ("pg_trgm", "pg_trgm GIN, as written"),
    ("pg_trgm-latin", "pg_trgm GIN, Latin column"),
    ("xapian", "Xapian trigram, as written"),
    ("xapian-latin", "Xapian trigram, Latin"),
    ("fts5", "SQLite FTS5 trigram, as written"),
    ("fts5-latin", "SQLite FTS5 trigram, Latin"),
    ("izde-year", "izde with birth year (ref.)"),
]


def percentile(values, share):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[int(share * (len(values) - 1))]


def read_tsv(path):
    with open(path, encoding="utf-8") as lines:
        return [line.rstrip("\n").split("\t") for line in lines if line.strip()]


def search_table(root):
    kinds = {row[0]: row[1] for row in read_tsv(os.path.join(root, "queries.tsv"))}
    rows = []
    for engine, label in ENGINES:
        path = os.path.join(root, "results", engine + ".tsv")
        if not os.path.exists(path):
            continue
        results = read_tsv(path)
        wall = [float(row[1]) / 1000 for row in results]
        # CPU time of the querying thread where the engine runs in it (not PostgreSQL's server).
        cpu = [float(row[2]) / 1000 for row in results if float(row[2]) > 0]
        hits = {kind: [0, 0] for kind in KINDS + ["all"]}
        wall_by_kind = {kind: [] for kind in KINDS}
        for query_id, wall_us, _cpu, rank in results:
            kind = kinds[query_id]
            for key in (kind, "all"):
                hits[key][1] += 1
                hits[key][0] += int(rank) > 0
            wall_by_kind[kind].append(float(wall_us) / 1000)
        build = ""
        build_path = os.path.join(root, "results", engine + ".build")
        if os.path.exists(build_path):
            build = open(build_path).read().strip()
        rows.append((engine, label, percentile(wall, 0.5), percentile(wall, 0.99),
                     {kind: hits[kind][0] / max(hits[kind][1], 1) for kind in hits},
                     {kind: percentile(values, 0.5) for kind, values in wall_by_kind.items()},
                     build, len(results), percentile(cpu, 0.5) if cpu else None))
    if not rows:
        print("no search results")
        return
    base = next((row for row in rows if row[0] == "izde"), rows[0])
    print(f"Search, top 10 per query, {rows[0][7]} queries; latency = wall ms per query "
          "(cpu: of the querying thread; PostgreSQL's is timed inside the server); "
          "recall@10 = the right person among the 10 best")
    header = (f"{'engine':<32} {'p50 ms':>8} {'p99 ms':>8} {'x izde':>7} {'x p99':>7} {'cpu p50':>8}  "
              + " ".join(f"{kind:>7}" for kind in KINDS + ["all"]) + f"  {'build s':>8}")
    print(header)
    print("-" * len(header))
    for engine, label, p50, p99, recall, _by_kind, build, _count, cpu in rows:
        cpu_cell = f"{cpu:8.2f}" if cpu is not None else f"{'-':>8}"
        print(f"{label:<32} {p50:8.2f} {p99:8.2f} {p50 / base[2]:7.1f} {p99 / base[3]:7.1f} {cpu_cell}  "
              + " ".join(f"{recall[kind]:7.3f}" for kind in KINDS + ["all"])
              + f"  {build:>8}")
    print()
    print("p50 wall ms by query kind")
    print(f"{'engine':<32} " + " ".join(f"{kind:>8}" for kind in KINDS))
    for engine, label, _p50, _p99, _recall, by_kind, _build, _count, _cpu in rows:
        print(f"{label:<32} " + " ".join(f"{by_kind[kind]:8.2f}" for kind in KINDS))


def bulk_table(root):
    bulk = os.path.join(root, "bulk")
    list_path = os.path.join(bulk, "list.csv")
    if not os.path.exists(list_path):
        return
    with open(list_path, newline="", encoding="utf-8") as lines:
        truth = {row["row"]: (row["kind"], row["person_id"]) for row in csv.DictReader(lines)}
    found = {}
    izde_csv = os.path.join(bulk, "izde-match.csv")
    if os.path.exists(izde_csv):
        ranks = {}
        with open(izde_csv, newline="", encoding="utf-8") as lines:
            for row in csv.DictReader(lines):
                if row["person_id"] and truth[row["row"]][1] == str(int(row["person_id"][2:])):
                    ranks[row["row"]] = int(row["rank"])
        seconds = json.load(open(os.path.join(bulk, "izde-match.json")))["seconds"]
        found["izde match"] = (ranks, seconds["match"], seconds["index"])
    duck_tsv = os.path.join(bulk, "duckdb.tsv")
    if os.path.exists(duck_tsv):
        ranks = {}
        for row_id, person_id, rank in read_tsv(duck_tsv):
            if truth[row_id][1] == person_id:
                ranks[row_id] = int(rank)
        seconds = json.load(open(os.path.join(bulk, "duckdb.json")))
        found["DuckDB Splink-style SQL"] = (ranks, seconds["match_s"], seconds["load_s"])
    if not found:
        return
    print()
    print(f"Bulk: a list of {len(truth)} rows against the persons; match s = matching only, "
          "setup s = index build or table load")
    base = next(iter(found.values()))[1]
    header = (f"{'engine':<26} {'match s':>8} {'x izde':>7} {'setup s':>8}  "
              + " ".join(f"{kind + ' @1/@10':>15}" for kind in KINDS + ["all"]))
    print(header)
    print("-" * len(header))
    for label, (ranks, match_s, setup_s) in found.items():
        cells = []
        for kind in KINDS + ["all"]:
            rows = [row for row, (row_kind, _) in truth.items() if kind in ("all", row_kind)]
            top1 = sum(ranks.get(row) == 1 for row in rows) / max(len(rows), 1)
            top10 = sum(row in ranks for row in rows) / max(len(rows), 1)
            cells.append(f"{top1:.3f} / {top10:.3f}")
        print(f"{label:<26} {match_s:8.2f} {match_s / base:7.2f} {setup_s:8.1f}  "
              + " ".join(f"{cell:>15}" for cell in cells))


def main():
    root = sys.argv[1]
    search_table(root)
    bulk_table(root)


if __name__ == "__main__":
    main()
