import { useEffect, useState } from 'preact/hooks';
import { api, query, type Explanation, type PersonRecord } from '../api';
import { ErrorBox, ExplanationTable, Link, Loading, useLoad } from '../components';
import { formatNumber, t } from '../i18n';
import { PersonFacts } from './PersonFacts';

interface Pair {
  id: number;
  score: number;
  explanation: Explanation[];
  a: PersonRecord;
  b: PersonRecord;
}
interface Cluster {
  id: string;
  persons: string[];
  judgements: number[];
}

export const kVerdictKeys: Record<string, 'same' | 'different' | 'unsure'> = { s: 'same', d: 'different', u: 'unsure' };

function Side({ record, which }: { record: PersonRecord; which: string }) {
  const person = record.person;
  return (
    <div class="card side" aria-label={which}>
      <h3>
        <Link href={`/persons/${person.id}`}>{person.id}</Link>
      </h3>
      <ul class="names">
        {(person.names ?? []).map((name, index) => (
          <li key={index}>
            <bdi dir="auto">{name.text}</bdi>
          </li>
        ))}
      </ul>
      <PersonFacts person={person} status={record.status} />
    </div>
  );
}

interface PairsPage {
  pairs: Pair[];
  total: number;
  next: number | null;
}

export const kPairsPerPage = 50;

function Pairs() {
  const [pairs, reloadFirst] = useLoad(() => api.get<PairsPage>(`/api/duplicates${query({ limit: kPairsPerPage })}`), []);
  // Pages after the first, appended as the reviewer asks for them.
  const [more, setMore] = useState<{ pairs: Pair[]; next: number | null } | null>(null);
  const [index, setIndex] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const list = pairs.state === 'ok' ? [...pairs.value.pairs, ...(more?.pairs ?? [])] : [];
  const next = more ? more.next : pairs.state === 'ok' ? pairs.value.next : null;
  const total = pairs.state === 'ok' ? pairs.value.total : 0;
  const pair = list[index];
  const reload = () => {
    setMore(null);
    reloadFirst();
  };
  const loadMore = async () => {
    if (next === null) return;
    setError(null);
    try {
      const page = await api.get<PairsPage>(`/api/duplicates${query({ limit: kPairsPerPage, after: next })}`);
      setMore({ pairs: [...(more?.pairs ?? []), ...page.pairs], next: page.next });
    } catch (caught) {
      setError(caught);
    }
  };

  const judge = async (verdict: 'same' | 'different' | 'unsure') => {
    if (!pair || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/judgements', { person_a: pair.a.person.id, person_b: pair.b.person.id, verdict, note: '' });
      if (index + 1 >= list.length) {
        setIndex(0);
        reload();
      } else {
        setIndex(index + 1);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const verdict = kVerdictKeys[event.key.toLowerCase()];
      if (verdict) {
        event.preventDefault();
        void judge(verdict);
      } else if (event.key.toLowerCase() === 'n') {
        setIndex((i) => Math.min(i + 1, Math.max(list.length - 1, 0)));
      } else if (event.key.toLowerCase() === 'p') {
        setIndex((i) => Math.max(i - 1, 0));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (pairs.state === 'loading') return <Loading />;
  if (pairs.state === 'error') return <ErrorBox error={pairs.error} />;
  if (!pair) return <p class="note">{t('review.empty')}</p>;
  return (
    <section aria-labelledby="pair-title">
      <h2 id="pair-title">
        {t('review.pairN', { n: index + 1, total: list.length })} · {t('search.score')}: {formatNumber(Math.round(pair.score * 100) / 100)}
      </h2>
      <p class="note">
        {t('review.ofTotal', { total: formatNumber(total) })}
        {next !== null && (
          <>
            {' '}
            <button type="button" class="link" onClick={() => void loadMore()}>
              {t('review.nextPage')}
            </button>
          </>
        )}
      </p>
      <div class="pair">
        <Side record={pair.a} which="A" />
        <Side record={pair.b} which="B" />
      </div>
      <ExplanationTable rows={pair.explanation} />
      <ErrorBox error={error} />
      <div class="row verdicts">
        <button type="button" class="primary" disabled={busy} onClick={() => judge('same')} aria-keyshortcuts="S">
          {t('review.same')} <kbd>S</kbd>
        </button>
        <button type="button" disabled={busy} onClick={() => judge('different')} aria-keyshortcuts="D">
          {t('review.different')} <kbd>D</kbd>
        </button>
        <button type="button" disabled={busy} onClick={() => judge('unsure')} aria-keyshortcuts="U">
          {t('review.unsure')} <kbd>U</kbd>
        </button>
        <button type="button" class="link" onClick={() => setIndex(Math.min(index + 1, list.length - 1))} aria-keyshortcuts="N">
          {t('review.skip')} <kbd>N</kbd>
        </button>
      </div>
      <p class="note">{t('review.keys')}</p>
    </section>
  );
}

function Clusters() {
  const [clusters, reload] = useLoad(() => api.get<{ clusters: Cluster[] }>('/api/clusters'), []);
  const [error, setError] = useState<unknown>(null);
  const unmerge = async (id: string) => {
    if (!window.confirm(t('review.unmergeConfirm'))) return;
    setError(null);
    try {
      await api.post(`/api/clusters/${encodeURIComponent(id)}/unmerge`, { note: '' });
      reload();
    } catch (caught) {
      setError(caught);
    }
  };
  if (clusters.state === 'loading') return <Loading />;
  if (clusters.state === 'error') return <ErrorBox error={clusters.error} />;
  return (
    <section>
      <ErrorBox error={error} />
      {clusters.value.clusters.length === 0 && <p class="note">{t('review.noClusters')}</p>}
      <ul class="clusters">
        {clusters.value.clusters.map((cluster) => (
          <li key={cluster.id} class="card" data-cluster={cluster.id}>
            <strong>{cluster.id}</strong>:{' '}
            {cluster.persons.map((id) => (
              <span key={id}>
                <Link href={`/persons/${id}`}>{id}</Link>{' '}
              </span>
            ))}
            <button type="button" onClick={() => unmerge(cluster.id)}>
              {t('review.unmerge')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ReviewPage() {
  const [tab, setTab] = useState<'pairs' | 'clusters'>('pairs');
  return (
    <section>
      <h1>{t('review.title')}</h1>
      <div role="tablist" class="tabs">
        <button type="button" role="tab" aria-selected={tab === 'pairs'} onClick={() => setTab('pairs')}>
          {t('review.pairs')}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'clusters'} onClick={() => setTab('clusters')}>
          {t('review.clusters')}
        </button>
      </div>
      <div role="tabpanel">{tab === 'pairs' ? <Pairs /> : <Clusters />}</div>
    </section>
  );
}
