import { useState } from 'preact/hooks';
import { api, query, type PersonSummary, type SearchResult } from '../api';
import { ErrorBox, ExplanationTable, Field, Link, Loading, kEthnicities, kGrades, kStatuses, label, Select, useLoad } from '../components';
import { formatNumber, t } from '../i18n';
import { navigate, useLocation } from '../router';

interface Filters {
  q: string;
  status: string;
  ethnicity: string;
  prefecture: string;
  from: string;
  to: string;
  grade: string;
}

const kKeys: (keyof Filters)[] = ['q', 'status', 'ethnicity', 'prefecture', 'from', 'to', 'grade'];

function readFilters(search: string): Filters {
  const params = new URLSearchParams(search);
  const filters = {} as Filters;
  for (const key of kKeys) filters[key] = params.get(key) ?? '';
  return filters;
}

type Row = SearchResult | PersonSummary;

/** Name search ranks by the name; the other filters narrow what it found. */
async function runSearch(filters: Filters): Promise<Row[]> {
  if (filters.q.trim() === '') {
    const page = await api.get<{ persons: PersonSummary[] }>(
      '/api/persons' +
        query({
          limit: 50,
          status: filters.status,
          ethnicity: filters.ethnicity,
          prefecture: filters.prefecture,
          grade: filters.grade,
          birth_year_from: filters.from,
          birth_year_to: filters.to,
        }),
    );
    return page.persons;
  }
  let birth = '';
  if (filters.from && filters.to) birth = `${filters.from}..${filters.to}`;
  else birth = filters.from || filters.to;
  const found = await api.get<{ results: SearchResult[] }>(
    '/api/search' + query({ q: filters.q.trim(), birth_year: birth, place: filters.prefecture, limit: 50 }),
  );
  return found.results.filter(
    (row) =>
      (!filters.status || row.status === filters.status) &&
      (!filters.ethnicity || row.ethnicity === filters.ethnicity) &&
      (!filters.grade || row.grade === filters.grade),
  );
}

export function SearchPage() {
  const location = useLocation();
  const applied = readFilters(location.search);
  const [draft, setDraft] = useState<Filters>(applied);
  const [results] = useLoad(() => runSearch(applied), [location.search]);
  const set = (key: keyof Filters) => (value: string) => setDraft({ ...draft, [key]: value });

  const submit = (event: Event) => {
    event.preventDefault();
    const params: Record<string, string> = {};
    for (const key of kKeys) if (draft[key]) params[key] = draft[key];
    navigate('/search' + query(params));
  };

  return (
    <section>
      <h1>{t('search.title')}</h1>
      <form class="search" role="search" onSubmit={submit}>
        <Field id="search-q" label={t('search.query')} hint={t('search.queryHint')}>
          <input id="search-q" type="search" dir="auto" value={draft.q} onInput={(e) => set('q')(e.currentTarget.value)} aria-describedby="search-q-hint" />
        </Field>
        <fieldset class="filters">
          <legend>{t('search.filters')}</legend>
          <Field id="f-status" label={t('person.status')}>
            <Select id="f-status" group="status" options={kStatuses} value={draft.status} onChange={set('status')} empty={t('common.any')} />
          </Field>
          <Field id="f-ethnicity" label={t('person.ethnicity')}>
            <Select id="f-ethnicity" group="ethnicity" options={kEthnicities} value={draft.ethnicity} onChange={set('ethnicity')} empty={t('common.any')} />
          </Field>
          <Field id="f-prefecture" label={t('search.prefecture')}>
            <input id="f-prefecture" dir="auto" value={draft.prefecture} onInput={(e) => set('prefecture')(e.currentTarget.value)} />
          </Field>
          <Field id="f-from" label={t('search.bornFrom')}>
            <input id="f-from" inputMode="numeric" pattern="[0-9]{4}" value={draft.from} onInput={(e) => set('from')(e.currentTarget.value)} />
          </Field>
          <Field id="f-to" label={t('search.bornTo')}>
            <input id="f-to" inputMode="numeric" pattern="[0-9]{4}" value={draft.to} onInput={(e) => set('to')(e.currentTarget.value)} />
          </Field>
          <Field id="f-grade" label={t('person.grade')}>
            <Select id="f-grade" group="grade" options={kGrades} value={draft.grade} onChange={set('grade')} empty={t('common.any')} />
          </Field>
        </fieldset>
        <button type="submit" class="primary">
          {t('search.submit')}
        </button>
      </form>
      {results.state === 'loading' && <Loading />}
      {results.state === 'error' && <ErrorBox error={results.error} />}
      {results.state === 'ok' && <Results rows={results.value} />}
    </section>
  );
}

/** The name to show first: the form in the searcher's script when the server gave one. */
export function shownName(
  primary: string,
  inScript: { text: string; script: string; generated: boolean } | undefined,
  matched: string | undefined,
): { text: string; script: string; generated: boolean } {
  if (inScript && inScript.text) return inScript;
  return { text: matched || primary, script: '', generated: false };
}

function Results({ rows }: { rows: Row[] }) {
  if (rows.length === 0) return <p class="note">{t('search.none')}</p>;
  return (
    <div>
      <p class="note" role="status">
        {t('search.count', { count: rows.length, n: formatNumber(rows.length) })}
      </p>
      <ol class="results">
        {rows.map((row) => {
          const found = 'score' in row ? row : null;
          const shown = shownName(row.name, found?.name_in_script, found?.matched_name);
          return (
            <li key={row.id} class="card result">
              <div class="result-head">
                <Link href={`/persons/${row.id}`}>
                  <bdi class="name" data-script={shown.script}>
                    {shown.text}
                  </bdi>
                </Link>
                {shown.generated && <span class="badge generated">{t('person.generatedNote')}</span>}
                {shown.text !== row.name && (
                  <span class="aka">
                    {' '}
                    ({t('search.registeredAs')} <bdi>{row.name}</bdi>)
                  </span>
                )}
                <span class="id">{row.id}</span>
              </div>
              <p class="meta">
                <span class={`status status-${row.status}`}>{label('status', row.status)}</span> · {label('ethnicity', row.ethnicity)} ·{' '}
                {t('person.born')}: {row.birth_year ?? '—'}
                {found && (
                  <>
                    {' '}
                    · {t('search.score')}: {formatNumber(Math.round(found.score * 100) / 100)}
                  </>
                )}
              </p>
              {found?.explanation && (
                <details>
                  <summary>{t('search.why')}</summary>
                  <ExplanationTable rows={found.explanation} />
                </details>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
