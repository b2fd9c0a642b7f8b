import { describe, expect, test } from 'vitest';
import { guessColumnMap, parseCsv, toCsv } from '../src/csv';

describe('CSV', () => {
  test('reads quotes, commas, new lines and a byte-order mark', () => {
    const text = '\ufeffname,birth\r\n"Bilash, Serikzhan",1974\n"say ""hi""\nthere",\n';
    expect(parseCsv(text)).toEqual([
      ['name', 'birth'],
      ['Bilash, Serikzhan', '1974'],
      ['say "hi"\nthere', ''],
    ]);
    expect(parseCsv(text, 1)).toEqual([['name', 'birth']]);
  });

  test('writes what it reads, and defuses spreadsheet formulas', () => {
    const rows = [['a,b', 'x"y', 3], ['=SUM(A1)', '-', 'ok']];
    expect(toCsv(rows)).toBe('"a,b","x""y",3\r\n\'=SUM(A1),\'-,ok\r\n');
    expect(parseCsv(toCsv([['Серікжан', '伊力哈木']]))).toEqual([['Серікжан', '伊力哈木']]);
  });

  test('guesses the column map from headers in several languages', () => {
    expect(guessColumnMap(['№', 'Аты-жөні', 'Туған жылы', 'Мекенжайы'])).toEqual({ name: 'Аты-жөні', birth: 'Туған жылы', place: 'Мекенжайы' });
    expect(guessColumnMap(['姓名', '出生日期', '性别'])).toEqual({ name: '姓名', birth: '出生日期', gender: '性别' });
  });
});
