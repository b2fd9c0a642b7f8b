// @vitest-environment happy-dom
import i18next from 'i18next';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ApiClient, ApiError } from '../src/api';
import { kCatalogues } from '../src/i18n';
import { progressPercent } from '../src/pages/Lists';
import { PersonFacts } from '../src/pages/PersonFacts';
import { shownName } from '../src/pages/Search';

beforeAll(async () => {
  await i18next.init({ lng: 'en', resources: { en: { translation: kCatalogues.en } } });
});

afterEach(() => {
  document.body.innerHTML = '';
});

function mount(node: preact.ComponentChild): HTMLElement {
  const root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(node, root));
  return root;
}

describe('review and person facts', () => {
  test('a reviewer reads partial birth dates as the locale writes them, not as stored', () => {
    const born = (birth_date: string) =>
      mount(<PersonFacts person={{ id: 'P-000001', names: [], birth_date }} status="detained" />).querySelector('[data-fact=born]')?.textContent;
    expect(born('1974')).toBe('1974');
    const month = born('1974-05') ?? '';
    expect(month).toMatch(/May/);
    expect(month).toMatch(/1974/);
    expect(month).not.toMatch(/1974-05/);
    const day = born('1974-05-03') ?? '';
    expect(day).toMatch(/May/);
    expect(day).toMatch(/3/);
    expect(born('~1974')).toBe('about 1974');
    expect(born('')).toBe('—');
  });

  test('the facts block shows the status when given (review) and not otherwise (person page)', () => {
    const withStatus = mount(<PersonFacts person={{ id: 'P-000001', names: [] }} status="released" />);
    expect(withStatus.textContent).toContain('Status');
    const without = mount(<PersonFacts person={{ id: 'P-000002', names: [] }} />);
    expect(without.textContent).not.toContain('Status');
  });
});

describe('search results in the searcher’s script', () => {
  test('the form in the query’s script comes first; without one, the matched or primary name', () => {
    expect(shownName('Tursun Memet', { text: '吐尔逊·买买提', script: 'han', generated: true }, 'Tursun Memet')).toEqual({
      text: '吐尔逊·买买提',
      script: 'han',
      generated: true,
    });
    expect(shownName('Tursun Memet', undefined, 'Турсун Мемет').text).toBe('Турсун Мемет');
    expect(shownName('Tursun Memet', undefined, undefined)).toEqual({ text: 'Tursun Memet', script: '', generated: false });
  });
});

describe('list progress', () => {
  test('the bar goes from 0 to 100 and never past it', () => {
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(0, 10)).toBe(0);
    expect(progressPercent(5, 10)).toBe(50);
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(10, 10)).toBe(100);
    expect(progressPercent(12, 10)).toBe(100);
  });
});

describe('backup download', () => {
  test('the admin’s backup arrives as a file with the server’s name, sent with the CSRF token', async () => {
    const calls: RequestInit[] = [];
    const client = new ApiClient(async (_url, init) => {
      calls.push(init ?? {});
      return new Response(new Uint8Array([1, 2, 3, 4]), {
        status: 200,
        headers: { 'Content-Type': 'application/x-tar', 'Content-Disposition': 'attachment; filename="izde-backup-20261130T070000Z.tar"' },
      });
    });
    client.setCsrf('token-1');
    const { blob, fileName } = await client.download('/api/admin/backup', { include_key: false });
    expect(fileName).toBe('izde-backup-20261130T070000Z.tar');
    expect(blob.size).toBe(4);
    expect((calls[0]?.headers as Record<string, string>)['X-CSRF-Token']).toBe('token-1');
    expect(calls[0]?.body).toBe('{"include_key":false}');
  });

  test('a refused backup (PostgreSQL) is an ApiError with the server’s reason', async () => {
    const client = new ApiClient(
      async () =>
        new Response('{"error":{"code":"failed_precondition","message":"back up PostgreSQL with `izde backup`"}}', {
          status: 412,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    const error = (await client.download('/api/admin/backup').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(412);
    expect(error.message).toContain('izde backup');
  });
});
