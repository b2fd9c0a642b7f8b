import { useState } from 'preact/hooks';
import { api, type Explanation, type PersonRecord } from '../api';
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

function ListRows({ id }: { id: string }) {
  const [rows, reload] = useLoad(() => api.get<{ rows: Row[] }>(`/api/lists/${encodeURIComponent(id)}/rows`), [id]);
  const [error, setError] = useState<unknown>(null);
  const judge = async (row: Row, person: string | null, verdict: string) => {
    setError(null);
    try {
      await api.post(`/api/lists/${encodeURIComponent(id)}/rows/${row.id}/judgement`, { person, verdict, note: '' });
      reload();
    } catch (caught) {
      setError(caught);
    }
  };
  if (rows.state === 'loading') return <Loading />;
  if (rows.state === 'error') return <ErrorBox error={rows.error} />;
  return (
    <section>
      <p>
        <a href={`/api/lists/${encodeURIComponent(id)}/results.csv`} download={`${id}-results.csv`}>
          {t('lists.download')}
        </a>
      </p>
      <ErrorBox error={error} />
      <ol class="list-rows">
        {rows.value.rows.map((row) => (
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
              {t('lists.rows', { n: formatNumber(list.rows ?? 0) })} · {list.created_by} · {list.created_at ? formatDateTime(list.created_at) : ''}
            </small>
          </li>
        ))}
      </ul>
      {open && <ListRows id={open} />}
    </section>
  );
}
