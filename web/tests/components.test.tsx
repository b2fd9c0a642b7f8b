// @vitest-environment happy-dom
import i18next from 'i18next';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { ExplanationTable, Field } from '../src/components';
import { kCatalogues } from '../src/i18n';
import { Candidates } from '../src/pages/Intake';

beforeAll(async () => {
  await i18next.init({ lng: 'en', resources: { en: { translation: kCatalogues.en } } });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

function mount(node: preact.ComponentChild): HTMLElement {
  const root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(node, root));
  return root;
}

describe('components', () => {
  test('every field has a label bound to its input, and its error is announced', () => {
    const root = mount(
      <Field id="birth" label="Born" hint="2018" error="The month must be 1 to 12.">
        <input id="birth" />
      </Field>,
    );
    const label = root.querySelector('label');
    expect(label?.getAttribute('for')).toBe('birth');
    expect(root.querySelector('#birth')).not.toBeNull();
    expect(root.querySelector('[role=alert]')?.textContent).toBe('The month must be 1 to 12.');
  });

  test('the explanation names each field in the reader’s language with its weight', () => {
    const root = mount(<ExplanationTable rows={[{ field: 'birth_year', value: 'same year (1974)', weight: 2.345 }]} />);
    const cells = [...root.querySelectorAll('td')].map((td) => td.textContent);
    expect(cells).toEqual(['Birth year', 'same year (1974)', '2.35']);
  });

  test('volunteer types a name and picks the same person offered from another script', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(async () =>
      new Response(JSON.stringify({ results: [{ id: 'P-000001', name: 'Tursun Memet', matched_name: 'Tursun Memet', status: 'detained', birth_year: 1974, score: 9.5 }] }), {
        status: 200,
      }),
    );
    vi.stubGlobal('fetch', fetch);
    const picked: string[] = [];
    const root = mount(<Candidates name="吐尔逊·买买提" onPick={(row) => picked.push(row.id)} />);
    expect(fetch).not.toHaveBeenCalled(); // waits until typing pauses
    await act(async () => {
      await vi.advanceTimersByTimeAsync(300);
    });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(String(fetch.mock.calls[0]?.[0 as never])).toContain(encodeURIComponent('吐尔逊·买买提').replace(/%20/g, '+'));
    const button = root.querySelector<HTMLButtonElement>('[data-candidate="P-000001"]');
    expect(button?.textContent).toContain('Tursun Memet');
    act(() => button?.click());
    expect(picked).toEqual(['P-000001']);
  });

  test('a name of one letter asks nothing of the server', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    mount(<Candidates name="A" onPick={() => {}} />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(500);
    });
    expect(fetch).not.toHaveBeenCalled();
  });
});
