#!/usr/bin/env python3
"""Makes the list for bench/search-compare's bulk part from `izde export persons`.

    bulk_list.py PERSONS.csv LIST.csv ROWS IZDE

ROWS persons with a hometown code and a birth year, spread evenly over the export, a quarter
of each kind:
  exact    the person's main name as written;
  typo     a Latin form with one letter changed (as match_bench's typos);
  reorder  the main name with its words reversed;
  cross    a person with no Latin form, written in Latin: the first Latin reading of one of
           its forms by `izde name analyze` (how a list kept abroad would spell the name).
LIST.csv: row, kind, person_id, name, birth, place (the hometown's division code)."""
import csv
import json
import re
import subprocess
import sys
import tempfile

csv.field_size_limit(1 << 24)


def typo(text, seed):
    words = text.split(" ")
    longest = max(range(len(words)), key=lambda idx: len(words[idx]))
    word = words[longest]
    if len(word) < 4:
        return text
    at = 2 + seed % (len(word) - 2)
    letter = word[at]
    if "a" <= letter < "z":
        word = word[:at] + chr(ord(letter) + 1) + word[at + 1:]
    elif letter == "z":
        word = word[:at] + "y" + word[at + 1:]
    else:
        word = word[:at] + word[at + 1:]
    words[longest] = word
    return " ".join(words)


def main():
    persons_path, list_path, rows, izde = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    eligible = []
    with open(persons_path, newline="", encoding="utf-8") as persons:
        for person in csv.DictReader(persons):
            year = re.search(r"[0-9]{4}", person["birth_date"] or "")
            if not year or not person["hometown_code"]:
                continue
            forms = json.loads(person["names"] or "[]")
            eligible.append((int(person["id"][2:]), person["name"], forms, year.group(0),
                             person["hometown_code"]))
    per_kind = rows // 4
    picked = {"exact": [], "typo": [], "reorder": [], "cross": []}
    used = set()
    for kind in picked:
        usable = []
        for person_id, name, forms, year, place in eligible:
            latin = [form["text"] for form in forms if form.get("script") == "latin"]
            if kind == "exact":
                text = name
            elif kind == "typo":
                if not latin or len(max(latin[0].split(" "), key=len)) < 4:
                    continue
                text = typo(latin[0], person_id)
            elif kind == "reorder":
                if " " not in name:
                    continue
                text = " ".join(reversed(name.split(" ")))
            else:
                if latin or not forms:
                    continue
                text = forms[-1]["text"]  # transliterated below
            usable.append([person_id, text, year, place])
        # Spread evenly over the persons the kind can use; a person serves one kind only.
        step = max(len(usable) / max(per_kind, 1), 1.0)
        pos = float(list(picked).index(kind))
        while len(picked[kind]) < per_kind and int(pos) < len(usable):
            row = usable[int(pos)]
            pos += step
            if row[0] in used:
                pos += 1
                continue
            used.add(row[0])
            picked[kind].append(row)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as batch:
        batch.write("".join(row[1] + "\n" for row in picked["cross"]))
        batch.flush()
        analyses = subprocess.run([izde, "name", "analyze", "--batch", batch.name],
                                  check=True, capture_output=True, text=True).stdout.splitlines()
    for row, line in zip(picked["cross"], analyses):
        forms = json.loads(line).get("forms") or []
        row[1] = forms[0]["latin"] if forms else row[1]
    with open(list_path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "kind", "person_id", "name", "birth", "place"])
        row_number = 0
        for kind, kind_rows in picked.items():
            for person_id, text, year, place in kind_rows:
                row_number += 1
                writer.writerow([row_number, kind, person_id, text, year, place])
    print(f"bulk_list: {row_number} rows "
          + ", ".join(f"{kind} {len(kind_rows)}" for kind, kind_rows in picked.items()),
          file=sys.stderr)


if __name__ == "__main__":
    main()
