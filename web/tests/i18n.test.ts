import { describe, expect, test } from 'vitest';
import { chooseLanguage, direction, formatDateTime, kCatalogues, kLanguages, kLocaleTags, keyPaths } from '../src/i18n';

const kPluralSuffix = /_(zero|one|two|few|many|other)$/;

function baseKeys(catalogue: Record<string, unknown>): Set<string> {
  return new Set(keyPaths(catalogue).map((key) => key.replace(kPluralSuffix, '')));
}

function valueAt(catalogue: Record<string, unknown>, path: string): string {
  let node: unknown = catalogue;
  for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
  return String(node);
}

describe('catalogues', () => {
  const english = baseKeys(kCatalogues.en);

  test.each(kLanguages)('every English key exists in %s, and no other', (lang) => {
    const keys = baseKeys(kCatalogues[lang]);
    expect([...english].filter((key) => !keys.has(key))).toEqual([]);
    expect([...keys].filter((key) => !english.has(key))).toEqual([]);
  });

  test.each(kLanguages)('%s has every plural form its language needs', (lang) => {
    const keys = keyPaths(kCatalogues[lang]);
    const plurals = new Set(keys.filter((key) => kPluralSuffix.test(key)).map((key) => key.replace(kPluralSuffix, '')));
    const categories = new Intl.PluralRules(kLocaleTags[lang]).resolvedOptions().pluralCategories;
    for (const base of plurals) {
      for (const category of categories) expect(keys).toContain(`${base}_${category}`);
    }
  });

  test.each(kLanguages)('%s keeps the placeholders of the English strings', (lang) => {
    for (const key of keyPaths(kCatalogues.en)) {
      const base = key.replace(kPluralSuffix, '');
      const target = keyPaths(kCatalogues[lang]).find((k) => k.replace(kPluralSuffix, '') === base) ?? key;
      const wanted = (valueAt(kCatalogues.en, key).match(/\{\{\w+\}\}/g) ?? []).sort();
      const found = (valueAt(kCatalogues[lang], target).match(/\{\{\w+\}\}/g) ?? []).sort();
      expect(found, `${lang}: ${target}`).toEqual(wanted);
    }
  });

  test.each(kLanguages)('%s has no empty strings', (lang) => {
    for (const key of keyPaths(kCatalogues[lang])) expect(valueAt(kCatalogues[lang], key).trim(), `${lang}: ${key}`).not.toBe('');
  });

  test('the Uyghur catalogue is in Arabic script and the Kazakh one in Cyrillic', () => {
    expect(valueAt(kCatalogues.ug, 'nav.search')).toMatch(/[\u0600-\u06ff]/);
    expect(valueAt(kCatalogues.kk, 'nav.search')).toMatch(/[\u0400-\u04ff]/);
    expect(valueAt(kCatalogues.zh, 'nav.search')).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('choosing the language', () => {
  test('the address wins, then what was remembered, then the browser', () => {
    expect(chooseLanguage('?lang=ug', 'kk', ['ru'])).toBe('ug');
    expect(chooseLanguage('', 'kk', ['ru'])).toBe('kk');
    expect(chooseLanguage('?lang=xx', null, ['ru-RU', 'en'])).toBe('ru');
    expect(chooseLanguage('', 'fr', ['de'])).toBe('en');
  });

  test('only Uyghur is right-to-left', () => {
    expect(kLanguages.filter((lang) => direction(lang) === 'rtl')).toEqual(['ug']);
  });
});

describe('formatting dates', () => {
  test('Unix seconds from the API and ISO texts give the same moment', () => {
    const seconds = Date.UTC(2026, 10, 30, 8, 0, 0) / 1000;
    expect(formatDateTime(seconds)).toBe(formatDateTime('2026-11-30T08:00:00Z'));
    expect(formatDateTime(seconds)).toContain('2026');
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});
