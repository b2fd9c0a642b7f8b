// Languages: every visible string comes from a catalogue in locales/. The choice comes from
// ?lang=xx in the address (then remembered), localStorage, or the browser, in that order.
import i18next from 'i18next';
import en from './locales/en.json';
import kk from './locales/kk.json';
import ru from './locales/ru.json';
import ug from './locales/ug.json';
import zh from './locales/zh.json';

export const kLanguages = ['en', 'kk', 'ug', 'zh', 'ru'] as const;
export type Language = (typeof kLanguages)[number];
export const kCatalogues: Record<Language, Record<string, unknown>> = { en, kk, ug, zh, ru };
/** The BCP 47 tag for Intl (Kazakh and Uyghur in their scripts). */
export const kLocaleTags: Record<Language, string> = {
  en: 'en',
  kk: 'kk-Cyrl-KZ',
  ug: 'ug-Arab-CN',
  zh: 'zh-Hans-CN',
  ru: 'ru',
};
const kStorageKey = 'izde.lang';

export function isLanguage(value: string | null | undefined): value is Language {
  return !!value && (kLanguages as readonly string[]).includes(value);
}

export function direction(lang: Language): 'rtl' | 'ltr' {
  return lang === 'ug' ? 'rtl' : 'ltr';
}

/** Picks the language: the address, then what was remembered, then the browser's. */
export function chooseLanguage(search: string, remembered: string | null, browser: readonly string[]): Language {
  const fromUrl = new URLSearchParams(search).get('lang');
  if (isLanguage(fromUrl)) return fromUrl;
  if (isLanguage(remembered)) return remembered;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** Every key path ("search.title") of a nested catalogue. */
export function keyPaths(catalogue: Record<string, unknown>, prefix = ''): string[] {
  const keys: string[] = [];
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') keys.push(...keyPaths(value as Record<string, unknown>, path));
    else keys.push(path);
  }
  return keys;
}

function remembered(): string | null {
  try {
    return localStorage.getItem(kStorageKey);
  } catch {
    return null;
  }
}

export async function initI18n(): Promise<Language> {
  const lang = typeof window === 'undefined' ? 'en' : chooseLanguage(window.location.search, remembered(), navigator.languages ?? []);
  await i18next.init({
    lng: lang,
    fallbackLng: 'en',
    resources: Object.fromEntries(kLanguages.map((l) => [l, { translation: kCatalogues[l] }])),
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyLanguage(lang);
  return lang;
}

export function applyLanguage(lang: Language): void {
  if (typeof document !== 'undefined') {
    document.documentElement.lang = kLocaleTags[lang];
    document.documentElement.dir = direction(lang);
  }
  try {
    localStorage.setItem(kStorageKey, lang);
  } catch {
    /* private mode: the choice lasts this page */
  }
}

export async function switchLanguage(lang: Language): Promise<void> {
  await i18next.changeLanguage(lang);
  applyLanguage(lang);
}

export function currentLanguage(): Language {
  const lang = i18next.language;
  return isLanguage(lang) ? lang : 'en';
}

export const t = (key: string, options?: Record<string, unknown>): string => i18next.t(key, options) as string;

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(kLocaleTags[currentLanguage()]).format(value);
}

// Formats an ISO 8601 text or a count of Unix seconds (what the API gives for sessions).
export function formatDateTime(value: string | number): string {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(kLocaleTags[currentLanguage()], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
