import { useEffect, useState } from 'preact/hooks';
import { api, query, type Explanation, type PersonRecord } from '../api';
import { ErrorBox, ExplanationTable, Field, Link, Loading, useLoad } from '../components';
import { guessColumnMap, kListFields, parseCsv, type ListField } from '../csv';
import { formatDateTime, formatNumber, t } from '../i18n';

interface ExternalList {
  id: string;
  title: string;
  source_file?: string;
  created_by?: string;
  created_at?: string;
  rows?: number;
  status?: ListStatus;
  rows_done?: number;
  error?: string;
}
export type ListStatus = 'queued' | 'matching' | 'done' | 'failed';
interface RowsPage {
  rows: Row[];
  total: number;
  next: number | null;
}

export const kRowsPerPage = 100;
/** How often the page asks how far a list's matching is. */
export const kPollMs = 500;

/** The share of a list's rows matched, 0 to 100, for the progress bar. */
export function progressPercent(done: number, rows: number): number {
  if (rows <= 0) return 0;
  return Math.min(100, Math.round((done * 100) / rows));
}
interface Candidate {
  rank: number;
  /** The person as GET /api/persons/{id} shows it to the caller. */
  person: PersonRecord;
  score: number;
  explanation: Explanation[];
}
interface Row {
  id: number;
  line: number;
  values: Record<string, string>;
  candidates: Candidate[];
  judgement: null | { id: number; person: string | null; verdict: string; actor?: string; at?: string; note?: string };
}

function personId(candidate: Candidate): string {
  return candidate.person.person.id;
}
function personName(candidate: Candidate): string {
  return candidate.person.person.names?.[0]?.text ?? '';
}

function Upload({ onDone }: { onDone: (id: string) => void }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [title, setTitle] = useState('');
  const [map, setMap] = useState<Partial<Record<ListField, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const rows = text ? parseCsv(text, 6) : [];
  const header = rows[0] ?? [];

  const pick = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    const content = await file.text();
    setText(content);
    setFileName(file.name);
    if (!title) setTitle(file.name.replace(/\.csv$/i, ''));
    setMap(guessColumnMap(parseCsv(content, 1)[0] ?? []));
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // 202: stored and queued; the progress shows while the server matches it.
      const answer = await api.post<{ list: ExternalList; rows: number }>('/api/lists', { title, file_name: fileName, csv: text, map });
      onDone(answer.list.id);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit}>
      <h2>{t('lists.upload')}</h2>
      <Field id="list-file" label={t('lists.file')}>
        <input id="list-file" type="file" accept=".csv,text/csv" onChange={pick} />
      </Field>
      {header.length > 0 && (
        <>
          <Field id="list-title" label={t('lists.listTitle')}>
            <input id="list-title" required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          </Field>
          <fieldset>
            <legend>{t('lists.map')}</legend>
            {kListFields.map((field) => (
              <Field key={field} id={`map-${field}`} label={t(`lists.fields.${field}`)}>
                <select id={`map-${field}`} value={map[field] ?? ''} onChange={(e) => setMap({ ...map, [field]: e.currentTarget.value || undefined })}>
                  <option value="">—</option>
                  {header.map((column) => (
                    <option key={column} value={column}>
                      {column}
                    </option>
                  ))}
                </select>
              </Field>
            ))}
          </fieldset>
          <table class="preview">
            <caption>{t('lists.preview')}</caption>
            <thead>
              <tr>
                {header.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.slice(1).map((row, index) => (
                <tr key={index}>
                  {row.map((value, column) => (
                    <td key={column}>
                      <bdi>{value}</bdi>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <ErrorBox error={error} />
          <button type="submit" class="primary" disabled={busy || !map.name}>
            {busy ? t('lists.matching') : t('lists.match')}
          </button>
        </>
      )}
    </form>
  );
}

/** Asks GET /api/lists/{id} until the matching is done or failed; shows a progress bar. */
function ListProgress({ id, onSettled }: { id: string; onSettled: (list: ExternalList) => void }) {
  const [list, setList] = useState<ExternalList | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      try {
        const answer = await api.get<{ list: ExternalList }>(`/api/lists/${encodeURIComponent(id)}`);
        if (!live) return;
        setList(answer.list);
        if (answer.list.status === 'done' || answer.list.status === 'failed') {
          onSettled(answer.list);
          return;
        }
      } catch (caught) {
        if (!live) return;
        setError(caught);
      }
      timer = setTimeout(() => void ask(), kPollMs);
    };
    void ask();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [id]);
  const rows = list?.rows ?? 0;
  const done = list?.rows_done ?? 0;
  return (
    <div class="card list-progress" data-status={list?.status ?? 'queued'}>
      <ErrorBox error={error} />
      <label for={`progress-${id}`}>
        {t(`lists.status.${list?.status ?? 'queued'}`)} · {t('lists.progress', { done: formatNumber(done), rows: formatNumber(rows) })}
      </label>
      <progress id={`progress-${id}`} max={100} value={progressPercent(done, rows)}>
        {progressPercent(done, rows)}%
      </progress>
    </div>
  );
}

function ListRows({ id }: { id: string }) {
  const [status, setStatus] = useState<ExternalList | null>(null);
  if (!status || status.status === 'queued' || status.status === 'matching') {
    return <ListProgress id={id} onSettled={setStatus} />;
  }
  if (status.status === 'failed') {
    return (
      <p class="error" role="alert" data-status="failed">
        {t('lists.failedNote')} {status.error ? `(${status.error})` : ''}
      </p>
    );
  }
  return <MatchedRows id={id} />;
}

function MatchedRows({ id }: { id: string }) {
  const path = (after: number | null) => `/api/lists/${encodeURIComponent(id)}/rows${query({ limit: kRowsPerPage, after })}`;
  const [first, reloadFirst] = useLoad(() => api.get<RowsPage>(path(null)), [id]);
  // Later pages, appended as the reviewer asks for them; a judgement reloads what is shown.
  const [more, setMore] = useState<{ rows: Row[]; next: number | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [judged, setJudged] = useState<Record<number, NonNullable<Row['judgement']>>>({});
  const loadMore = async (after: number | null) => {
    if (after === null) return;
    try {
      const page = await api.get<RowsPage>(path(after));
      setMore({ rows: [...(more?.rows ?? []), ...page.rows], next: page.next });
    } catch (caught) {
      setError(caught);
    }
  };
  const judge = async (row: Row, person: string | null, verdict: string) => {
    setError(null);
    try {
      const answer = await api.post<{ judgement: NonNullable<Row['judgement']> }>(
        `/api/lists/${encodeURIComponent(id)}/rows/${row.id}/judgement`,
        { person, verdict, note: '' },
      );
      // Only this row changed: note it, so that the pages loaded stay as they are.
      setJudged({ ...judged, [row.id]: answer.judgement });
    } catch (caught) {
      setError(caught);
    }
  };
  if (first.state === 'loading') return <Loading />;
  if (first.state === 'error') return <ErrorBox error={first.error} />;
  const rows = [...first.value.rows, ...(more?.rows ?? [])].map((row) => ({ ...row, judgement: judged[row.id] ?? row.judgement }));
  const next = more ? more.next : first.value.next;
  return (
    <section data-status="done">
      <p>
        <a href={`/api/lists/${encodeURIComponent(id)}/results.csv`} download={`${id}-results.csv`}>
          {t('lists.download')}
        </a>{' '}
        <button
          type="button"
          class="link"
          onClick={() => {
            setMore(null);
            setJudged({});
            reloadFirst();
          }}
        >
          {t('common.reload')}
        </button>
      </p>
      <ErrorBox error={error} />
      <ol class="list-rows">
        {rows.map((row) => (
          <li key={row.id} class="card" data-row={row.id}>
            <p>
              {t('lists.line', { n: row.line })}:{' '}
              {Object.entries(row.values).map(([key, value]) => (
                <span key={key} class="cell">
                  {key}: <bdi>{value}</bdi>{' '}
                </span>
              ))}
            </p>
            {row.judgement && (
              <p class="note">
                {t('lists.judged')}: {t(`review.${row.judgement.verdict}`)} {row.judgement.person ?? ''}
              </p>
            )}
            {row.candidates.length === 0 && <p class="note">{t('lists.noCandidates')}</p>}
            <ul>
              {row.candidates.map((candidate) => (
                <li key={candidate.rank} data-candidate={personId(candidate)}>
                  <Link href={`/persons/${personId(candidate)}`}>{personId(candidate)}</Link> <bdi>{personName(candidate)}</bdi> ·{' '}
                  {t('search.score')} {formatNumber(Math.round(candidate.score * 100) / 100)}{' '}
                  <button type="button" onClick={() => judge(row, personId(candidate), 'same')}>
                    {t('lists.accept')}
                  </button>
                  <details>
                    <summary>{t('search.why')}</summary>
                    <ExplanationTable rows={candidate.explanation} />
                  </details>
                </li>
              ))}
            </ul>
            <div class="row">
              <button type="button" onClick={() => judge(row, null, 'different')}>
                {t('lists.noneMatch')}
              </button>
              <button type="button" class="link" onClick={() => judge(row, null, 'unsure')}>
                {t('review.unsure')}
              </button>
            </div>
          </li>
        ))}
      </ol>
      <p class="note">{t('lists.shown', { n: formatNumber(rows.length), total: formatNumber(first.value.total) })}</p>
      {next !== null && (
        <button type="button" onClick={() => void loadMore(next)}>
          {t('lists.more')}
        </button>
      )}
    </section>
  );
}

export function ListsPage() {
  const [lists, reload] = useLoad(async () => (await api.get<{ lists: ExternalList[] }>('/api/lists')).lists, []);
  const [open, setOpen] = useState('');
  if (lists.state === 'loading') return <Loading />;
  if (lists.state === 'error') return <ErrorBox error={lists.error} />;
  return (
    <section>
      <h1>{t('lists.title')}</h1>
      <Upload
        onDone={(id) => {
          setOpen(id);
          reload();
        }}
      />
      <ul class="lists">
        {lists.value.map((list) => (
          <li key={list.id} class="card">
            <button type="button" class="link" aria-expanded={open === list.id} onClick={() => setOpen(open === list.id ? '' : list.id)}>
              {list.id} · <bdi>{list.title}</bdi>
            </button>{' '}
            <small>
              {t('lists.rows', { n: formatNumber(list.rows ?? 0) })} · <span class="list-status">{t(`lists.status.${list.status ?? 'done'}`)}</span> · {list.created_by} ·{' '}
              {list.created_at ? formatDateTime(list.created_at) : ''}
            </small>
          </li>
        ))}
      </ul>
      {open && <ListRows key={open} id={open} />}
    </section>
  );
}
