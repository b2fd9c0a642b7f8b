#!/usr/bin/env python3
"""Builds divisions.tsv and aliases.tsv from the NBS division lists and names_hand.tsv.

Usage: data/places/make_tables.py [SOURCE_DIR]   (default /work/shared/data/places)

Pinyin comes from ICU (`uconv -x 'Han-Latin; Latin-ASCII'`), one character at a time, with
the readings ICU gets wrong in Xinjiang place names corrected below (喀什 is Kashi, not
"Kashen"). Run it again after editing names_hand.tsv; the output is deterministic.
"""

import csv
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

# Characters whose first ICU reading is not the one used in these place names.
PINYIN_FIXES = {
    "什": "shi",  # 喀什 Kashi, 阿图什 Atushi, 乌什 Wushi
    "勒": "le",  # 库尔勒 Kuerle, 疏勒 Shule, 策勒 Cele, 尼勒克 Nileke
    "地": "di",  # 地区 diqu
    "尉": "yu",  # 尉犁 Yuli
    "长": "chang",
    "都": "du",
}

# Longest first: the nationality in 伊犁哈萨克自治州 belongs to the suffix, not the name.
UPPER_SUFFIXES = re.compile(
    r"((柯尔克孜|哈萨克|蒙古|回族|锡伯|塔吉克)?自治[州县]|地区|[市县区])$")
TOWNSHIP_SUFFIXES = re.compile(
    r"(((哈萨克|回族|柯尔克孜|蒙古|锡伯|塔吉克|维吾尔)民?族?|民族)乡|街道|镇|乡)$")

LEVELS = {1: "prefecture", 2: "county", 3: "township"}


def read_csv(name, source_dir):
    with open(os.path.join(source_dir, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def pinyin_table(chars):
    chars = sorted(chars)
    out = subprocess.run(["uconv", "-x", "Han-Latin; Latin-ASCII"], input="\n".join(chars),
                         capture_output=True, text=True, check=True).stdout.split("\n")
    table = dict(zip(chars, (s.strip() for s in out)))
    table.update(PINYIN_FIXES)
    return table


def to_pinyin(text, table):
    """"伊宁市" -> "Yining Shi" style: syllables joined, apostrophe before a/e/o."""
    syllables = []
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            syl = table[ch]
            if syllables and syl[:1] in "aeo":
                syl = "'" + syl
            syllables.append(syl)
        elif ch.isalnum():
            syllables.append(ch)
        # Punctuation such as （） carries no sound.
    word = "".join(syllables)
    return word[:1].upper() + word[1:]


def split_suffix(name, level):
    pattern = TOWNSHIP_SUFFIXES if level == 3 else UPPER_SUFFIXES
    match = pattern.search(name)
    if match and match.start() >= 2:
        return name[:match.start()], name[match.start():]
    return name, ""


def fold(text):
    """Rough version of the run-time key, only to report collisions here."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def main():
    source_dir = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/places"
    divisions = []  # (code, level, parent, name_zh)
    (province,) = read_csv("provinces_xinjiang65.csv", source_dir)
    divisions.append((province["code"], 0, "", province["name"]))
    for row in read_csv("cities_xinjiang65.csv", source_dir):
        divisions.append((row["code"], 1, row["provinceCode"], row["name"]))
    for row in read_csv("areas_xinjiang65.csv", source_dir):
        divisions.append((row["code"], 2, row["cityCode"], row["name"]))
    for row in read_csv("streets_xinjiang65.csv", source_dir):
        divisions.append((row["code"], 3, row["areaCode"], row["name"]))

    hand = {}
    with open(os.path.join(HERE, "names_hand.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            aliases = [a.strip() for a in fields[2].split("|")] if len(fields) > 2 else []
            hand[fields[0]] = (fields[1], [a for a in aliases if a])

    table = pinyin_table({c for d in divisions for c in d[3] if "\u4e00" <= c <= "\u9fff"})

    division_rows = []
    alias_rows = []
    for code, level, parent, name_zh in divisions:
        if level == 0:
            name_latin, hand_aliases = hand[code]
            division_rows.append((code, "region", parent, name_zh, name_latin))
            alias_rows += [(code, a, "hand") for a in hand_aliases]
            continue
        stem, suffix = split_suffix(name_zh, level)
        stem_pinyin = to_pinyin(stem, table)
        full_pinyin = stem_pinyin + (" " + to_pinyin(suffix, table) if suffix else "")
        if level == 3:
            name_latin, hand_aliases = stem_pinyin, []
        else:
            if code not in hand:
                sys.exit(f"names_hand.tsv lacks {code} {name_zh}")
            name_latin, hand_aliases = hand[code]
        division_rows.append((code, LEVELS[level], parent, name_zh, name_latin))
        seen = {fold(name_zh), fold(name_latin)}
        candidates = [(a, "hand") for a in hand_aliases]
        candidates += [(full_pinyin, "pinyin")]
        if suffix:
            candidates += [(stem, "stem"), (stem_pinyin, "stem")]
        for alias, origin in candidates:
            if fold(alias) not in seen:
                seen.add(fold(alias))
                alias_rows.append((code, alias, origin))

    with open(os.path.join(HERE, "divisions.tsv"), "w", encoding="utf-8") as f:
        f.write("# code\tlevel\tparent\tname_zh\tname_latin\n")
        for row in division_rows:
            f.write("\t".join(row) + "\n")
    with open(os.path.join(HERE, "aliases.tsv"), "w", encoding="utf-8") as f:
        f.write("# code\talias\torigin (hand: names_hand.tsv; pinyin: generated full name;"
                " stem: generated name without 市/县/乡..., a weaker match)\n")
        for row in alias_rows:
            f.write("\t".join(row) + "\n")

    # Report strong names shared by two prefecture/county-level divisions: each is a name
    # Resolve() will refuse, so it should be deliberate.
    strong = {}
    for code, level, _, name_zh, name_latin in division_rows:
        if level in ("prefecture", "county"):
            for name in (name_zh, name_latin):
                strong.setdefault(fold(name), set()).add(code)
    for code, alias, origin in alias_rows:
        if origin != "stem" and len(code) <= 6:
            strong.setdefault(fold(alias), set()).add(code)
    for key, codes in sorted(strong.items()):
        if len(codes) > 1:
            print(f"shared name {key}: {sorted(codes)}", file=sys.stderr)
    counts = {}
    for row in division_rows:
        counts[row[1]] = counts.get(row[1], 0) + 1
    print(counts, len(alias_rows), "aliases", file=sys.stderr)


if __name__ == "__main__":
    main()
