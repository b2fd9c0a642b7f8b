// Small RFC 4180 CSV helpers: reading a list's header and first rows before upload (the server
// does the real import), and writing the statistics tables for download.

export function parseCsv(text: string, maxRows = Infinity): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  for (; index < text.length; index++) {
    const ch = text[index];
    if (quoted) {
      if (ch === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index++;
        } else {
          quoted = false;
        }
      } else {
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      field = '';
      rows.push(row);
      row = [];
      if (rows.length >= maxRows) return rows;
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function cell(value: string | number): string {
  const text = String(value);
  // A leading =, +, - or @ would be a formula in a spreadsheet: quote it with a '.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: (string | number)[][]): string {
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Column-map keys of `izde match --map` and a guess from a header's words. */
/** The column-map keys of POST /api/lists and `izde match --map`. */
export const kListFields = ['name', 'birth', 'place', 'gender'] as const;
export type ListField = (typeof kListFields)[number];

export function guessColumnMap(header: string[]): Partial<Record<ListField, string>> {
  const hints: Record<ListField, RegExp> = {
    name: /name|имя|аты|есім|姓名|名字|ئىسىم/i,
    birth: /birth|born|year|туған|рожд|出生|تۇغۇل/i,
    place: /place|town|county|city|мекен|место|地|جاي/i,
    gender: /gender|sex|пол|жыныс|性别|جىنس/i,
  };
  const map: Partial<Record<ListField, string>> = {};
  for (const field of kListFields) {
    const column = header.find((h) => hints[field].test(h) && !Object.values(map).includes(h));
    if (column) map[field] = column;
  }
  return map;
}
