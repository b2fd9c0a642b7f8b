import { describe, expect, test } from 'vitest';
import { formatPartialDate, normalisePartialDate, parsePartialDate } from '../src/partialDate';

describe('partial dates as relatives remember them', () => {
  test.each([
    ['', ''],
    ['2018', '2018'],
    ['2018-5', '2018-05'],
    ['2018/05/03', '2018-05-03'],
    ['2018.5.3', '2018-05-03'],
    ['~2017', '~2017'],
    [' ~ 2017 ', '~2017'],
    ['2017-04..2017-06', '2017-04..2017-06'],
    ['~2017..2018', '~2017..2018'],
    ['03.05.2018', '2018-05-03'],
    ['04.1974', '1974-04'],
    ['about 1974', '~1974'],
    ['около 1974', '~1974'],
    ['шамамен 1974', '~1974'],
    ['约1974', '~1974'],
  ])('"%s" becomes the canonical "%s"', (typed, canonical) => {
    expect(normalisePartialDate(typed)).toEqual({ ok: true, text: canonical });
  });

  test.each([
    ['18', 'format'],
    ['May 2018', 'format'],
    ['1700', 'year'],
    ['2018-13', 'month'],
    ['2018-00', 'month'],
    ['2019-02-29', 'day'],
    ['2018-06..2018-04', 'order'],
    ['2017..2018..2019', 'format'],
    ['31.04.2018', 'day'],
  ])('"%s" is refused: %s', (typed, problem) => {
    expect(parsePartialDate(typed)).toEqual({ ok: false, problem });
  });

  test('a leap day exists in a leap year', () => {
    expect(normalisePartialDate('2020-02-29')).toEqual({ ok: true, text: '2020-02-29' });
  });

  test('dates are shown in the reader’s language, to their precision', () => {
    expect(formatPartialDate('2018', 'en', 'about')).toBe('2018');
    expect(formatPartialDate('2018-05', 'en', 'about')).toBe('May 2018');
    expect(formatPartialDate('~2017', 'en', 'about')).toBe('about 2017');
    expect(formatPartialDate('2018-05-03', 'ru', 'около')).toMatch(/3 мая 2018/);
    expect(formatPartialDate('2018-05-03', 'zh-Hans-CN', '约')).toBe('2018年5月3日');
    expect(formatPartialDate('garbled', 'en', 'about')).toBe('garbled');
  });
});
