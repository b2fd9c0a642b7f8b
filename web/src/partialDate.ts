// Partial dates as relatives remember them, in the server's canonical text form
// (src/core/partial_date.h): "" | "1974" | "1974-04" | "1974-04-12" | "~1974" |
// "2017-04..2017-06" | "~2017..2018". People type "2018/5", "2018.05.03" or "~2018"; we
// normalise before sending, and explain what is wrong before the server has to.

export interface DatePoint {
  year: number;
  month: number; // 0: unknown
  day: number; // 0: unknown
}

export interface PartialDate {
  about: boolean;
  start: DatePoint;
  end: DatePoint | null; // a range when set
}

export type DateProblem = 'format' | 'year' | 'month' | 'day' | 'order';

export type ParseResult = { ok: true; value: PartialDate | null } | { ok: false; problem: DateProblem };

const kMinYear = 1800;
const kMaxYear = 2100;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parsePoint(text: string): DatePoint | DateProblem {
  // Year first (2018-05-03, 2018/5, 2018.05) or, as written in Kazakhstan and Russia, day
  // first with dots (03.05.2018, 05.2018).
  let parts: (string | undefined)[];
  const yearFirst = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$/.exec(text);
  const dayFirst = /^(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})$/.exec(text);
  if (yearFirst) parts = [yearFirst[1], yearFirst[2], yearFirst[3]];
  else if (dayFirst) parts = [dayFirst[3], dayFirst[2], dayFirst[1]];
  else return 'format';
  const year = Number(parts[0]);
  const month = parts[1] ? Number(parts[1]) : 0;
  const day = parts[2] ? Number(parts[2]) : 0;
  if (year < kMinYear || year > kMaxYear) return 'year';
  if (parts[1] !== undefined && (month < 1 || month > 12)) return 'month';
  if (parts[2] !== undefined && (day < 1 || day > daysIn(year, month))) return 'day';
  return { year, month, day };
}

/** Words for "about" in the five languages, before a date. */
const kAbout = /^(~|≈|about|circa|ca\.|c\.|около|примерно|шамамен|约|大约|تەخمىنەن)\s*/i;

function key(point: DatePoint): number {
  return point.year * 10000 + point.month * 100 + point.day;
}

/** Parses what a person typed; an empty text is an unknown date (value null). */
export function parsePartialDate(input: string): ParseResult {
  let text = input.trim();
  if (text === '') return { ok: true, value: null };
  let about = false;
  const aboutWord = kAbout.exec(text);
  if (aboutWord) {
    about = true;
    text = text.slice(aboutWord[0].length).trim();
  }
  const parts = text.split('..');
  if (parts.length > 2) return { ok: false, problem: 'format' };
  const start = parsePoint((parts[0] ?? '').trim());
  if (typeof start === 'string') return { ok: false, problem: start };
  let end: DatePoint | null = null;
  if (parts.length === 2) {
    const parsed = parsePoint((parts[1] ?? '').trim());
    if (typeof parsed === 'string') return { ok: false, problem: parsed };
    if (key(parsed) < key(start)) return { ok: false, problem: 'order' };
    end = parsed;
  }
  return { ok: true, value: { about, start, end } };
}

function pointText(point: DatePoint): string {
  let text = String(point.year).padStart(4, '0');
  if (point.month) text += `-${String(point.month).padStart(2, '0')}`;
  if (point.day) text += `-${String(point.day).padStart(2, '0')}`;
  return text;
}

/** The server's canonical form: "~2017-04..2017-06". */
export function formatCanonical(date: PartialDate | null): string {
  if (!date) return '';
  let text = (date.about ? '~' : '') + pointText(date.start);
  if (date.end) text += `..${pointText(date.end)}`;
  return text;
}

/** Normalises typed text to the canonical form, or returns the problem. */
export function normalisePartialDate(input: string): { ok: true; text: string } | { ok: false; problem: DateProblem } {
  const parsed = parsePartialDate(input);
  return parsed.ok ? { ok: true, text: formatCanonical(parsed.value) } : parsed;
}

function pointLocal(point: DatePoint, locale: string): string {
  const date = new Date(Date.UTC(point.year, Math.max(point.month - 1, 0), Math.max(point.day, 1)));
  const options: Intl.DateTimeFormatOptions = { timeZone: 'UTC', year: 'numeric' };
  if (point.month) options.month = 'long';
  if (point.day) options.day = 'numeric';
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** For display in the reader's language; `aboutWord` is the catalogue's "about". */
export function formatPartialDate(text: string, locale: string, aboutWord: string): string {
  const parsed = parsePartialDate(text);
  if (!parsed.ok) return text;
  if (!parsed.value) return '';
  const { about, start, end } = parsed.value;
  let shown = pointLocal(start, locale);
  if (end) shown += ` – ${pointLocal(end, locale)}`;
  return about ? `${aboutWord} ${shown}` : shown;
}
