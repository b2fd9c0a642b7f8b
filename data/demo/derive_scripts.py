#!/usr/bin/env python3
"""Fills the derived columns of the demo name tables from the hand-written ones.

kazakh_names.tsv: `arabic` (Kazakh Tote script as used in China) from `cyrillic`.
uyghur_names.tsv: `cyrillic` (Uyghur Cyrillic) and `arabic` (Uyghur UEY) from `latin` (ULY).
Letter mappings follow ../../../shared/data/names/tables (Kazakh) and DB65/T 3690-2015 (ULY).
Run from this folder after editing a hand-written column: python3 derive_scripts.py
"""
import csv
import sys

KK_TOTE = {
    'а': 'ا', 'ә': 'ا', 'б': 'ب', 'в': 'ۆ', 'г': 'گ', 'ғ': 'ع', 'д': 'د', 'е': 'ە',
    'ё': 'يو', 'ж': 'ج', 'з': 'ز', 'и': 'ي', 'й': 'ي', 'к': 'ك', 'қ': 'ق', 'л': 'ل',
    'м': 'م', 'н': 'н', 'ң': 'ڭ', 'о': 'و', 'ө': 'و', 'п': 'پ', 'р': 'ر', 'с': 'س',
    'т': 'ت', 'у': 'ۋ', 'ұ': 'ۇ', 'ү': 'ۇ', 'ф': 'ف', 'х': 'ح', 'һ': 'ھ', 'ц': 'س',
    'ч': 'چ', 'ш': 'ش', 'щ': 'ش', 'ъ': '', 'ы': 'ى', 'і': 'ى', 'ь': '', 'э': 'ە',
    'ю': 'يۋ', 'я': 'يا',
}
KK_TOTE['н'] = 'ن'
HAMZA = '\u0674'  # marks a word of front vowels whose letters do not show it


def kazakh_tote(cyrillic):
    words = []
    for word in cyrillic.split(' '):
        low = word.lower()
        front = any(c in low for c in 'әөүі') and not any(c in low for c in 'екг')
        words.append((HAMZA if front else '') + ''.join(KK_TOTE[c] for c in low))
    return ' '.join(words)


ULY = [  # longest first
    ('ch', 'ч', 'چ'), ('gh', 'ғ', 'غ'), ('ng', 'ң', 'ڭ'), ('sh', 'ш', 'ش'), ('zh', 'ж', 'ژ'),
    ('a', 'а', 'ا'), ('e', 'ә', 'ە'), ('é', 'е', 'ې'), ('i', 'и', 'ى'), ('o', 'о', 'و'),
    ('u', 'у', 'ۇ'), ('ö', 'ө', 'ۆ'), ('ü', 'ү', 'ۈ'), ('b', 'б', 'ب'), ('p', 'п', 'پ'),
    ('t', 'т', 'ت'), ('j', 'җ', 'ج'), ('x', 'х', 'خ'), ('d', 'д', 'د'), ('r', 'р', 'ر'),
    ('z', 'з', 'ز'), ('s', 'с', 'س'), ('f', 'ф', 'ف'), ('q', 'қ', 'ق'), ('k', 'к', 'ك'),
    ('g', 'г', 'گ'), ('l', 'л', 'ل'), ('m', 'м', 'م'), ('n', 'н', 'ن'), ('h', 'һ', 'ھ'),
    ('w', 'в', 'ۋ'), ('y', 'й', 'ي'),
]
VOWELS = set('aeéiouöü')


def uly_letters(latin):
    low, out, pos = latin.lower(), [], 0
    while pos < len(low):
        for uly, cyr, arab in ULY:
            if low.startswith(uly, pos):
                out.append((uly, cyr, arab))
                pos += len(uly)
                break
        else:
            sys.exit(f'no ULY letter at {latin!r}:{pos}')
    return out


def uyghur_cyrillic(latin):
    letters = uly_letters(latin)
    text, idx = '', 0
    while idx < len(letters):
        # Uyghur Cyrillic writes y+a and y+u as я and ю.
        if letters[idx][0] == 'y' and idx + 1 < len(letters) and letters[idx + 1][0] in 'au':
            text += 'я' if letters[idx + 1][0] == 'a' else 'ю'
            idx += 2
            continue
        text += letters[idx][1]
        idx += 1
    return text[:1].upper() + text[1:]


def uyghur_arabic(latin):
    text, prev_vowel = '', True  # a vowel at the start of a word takes a hamza carrier
    for uly, _, arab in uly_letters(latin):
        vowel = uly in VOWELS
        text += ('ئ' if vowel and prev_vowel else '') + arab
        prev_vowel = vowel
    return text


def rewrite(path, derive):
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    out = []
    for line in lines:
        if line.startswith('#'):
            out.append(line)
            continue
        cols = line.split('\t')
        derive(cols)
        out.append('\t'.join(cols))
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')


def kazakh(cols):  # gender cyrillic latin arabic han
    cols[3] = kazakh_tote(cols[1])


def uyghur(cols):
    cols[1] = uyghur_cyrillic(cols[2])
    cols[3] = uyghur_arabic(cols[2])


if __name__ == '__main__':
    rewrite('kazakh_names.tsv', kazakh)
    rewrite('uyghur_names.tsv', uyghur)
