import { useState } from 'preact/hooks';
import { api, type AuditEntry, type Me, type PersonName, type PersonRecord } from '../api';
import { ErrorBox, Link, Loading, label, roleAtLeast, useLoad } from '../components';
import { formatDateTime, t } from '../i18n';
import { parsePartialDate } from '../partialDate';
import { PersonFacts, dateOf } from './PersonFacts';

/** A Chinese form the system transcribed, not one a person wrote down. */
export function isGeneratedName(name: PersonName): boolean {
  const source = (name.source ?? '').toLowerCase();
  return source.startsWith('generated') || source.startsWith('transcription') || source === 'auto';
}

function sortKey(text: string | undefined): string {
  const parsed = parsePartialDate(text ?? '');
  if (!parsed.ok || !parsed.value) return '9999';
  const { year, month, day } = parsed.value.start;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function PersonPage({ id, me }: { id: string; me: Me }) {
  const [record, reload] = useLoad(() => api.get<PersonRecord>(`/api/persons/${encodeURIComponent(id)}`), [id]);
  if (record.state === 'loading') return <Loading />;
  if (record.state === 'error') return <ErrorBox error={record.error} />;
  const { person, status, events, testimonies, relations, warnings } = record.value;
  const names = person.names ?? [];
  const generated = record.value.generated_names ?? [];
  const primary = names[0]?.text ?? person.id;
  const timeline = [...events].sort((a, b) => sortKey(a.date).localeCompare(sortKey(b.date)));

  return (
    <article class="person">
      <h1>
        <bdi>{primary}</bdi> <span class="id">{person.id}</span>
      </h1>
      <p class="meta">
        <span class={`status status-${status}`}>{label('status', status)}</span> · {t('person.grade')}: {label('grade', person.grade)} ·{' '}
        {t('person.privacy')}: {label('privacy', person.privacy)}
      </p>
      {warnings && warnings.length > 0 && (
        <ul class="warnings" aria-label={t('person.warnings')}>
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div class="columns">
        <section class="card">
          <h2>{t('person.names')}</h2>
          <ul class="names">
            {names.map((name, index) => (
              <li key={index}>
                <bdi dir="auto" class="name">
                  {name.text}
                </bdi>{' '}
                <small>
                  {label('script', name.script)} · {label('part', name.part)}
                  {name.source ? ` · ${name.source}` : ''}
                </small>
                {isGeneratedName(name) && <span class="badge generated">{t('person.generated')}</span>}
              </li>
            ))}
          </ul>
          {generated.length > 0 && (
            <div class="generated-names">
              <h3>{t('person.generatedTitle')}</h3>
              <ul class="names">
                {generated.map((name) => (
                  <li key={name.text} data-generated={name.text}>
                    <bdi dir="auto" class="name">
                      {name.text}
                    </bdi>{' '}
                    <small>
                      ← <bdi>{name.from}</bdi>
                    </small>{' '}
                    <span class="badge generated">{t('person.generatedNote')}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <PersonFacts person={person} />
        </section>
        <section class="card">
          <h2>{t('person.timeline')}</h2>
          {timeline.length === 0 ? (
            <p class="note">{t('person.noEvents')}</p>
          ) : (
            <ol class="timeline">
              {timeline.map((event) => (
                <li key={event.id}>
                  <strong>{label('status', event.type)}</strong> <time>{dateOf(event.date) || t('dates.unknown')}</time>
                  {event.place_text && (
                    <>
                      {' '}
                      · <bdi>{event.place_text}</bdi>
                    </>
                  )}
                  {event.testimony && <small> · {event.testimony}</small>}
                  {event.note && <p>{event.note}</p>}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      <section class="card">
        <h2>{t('person.testimonies')}</h2>
        {testimonies.length === 0 && <p class="note">{t('person.noTestimonies')}</p>}
        {testimonies.map((testimony) => (
          <div key={testimony.id} class="testimony" data-testimony={testimony.id}>
            <h3>
              {testimony.id} · {label('medium', testimony.medium)} · {dateOf(testimony.date)}
            </h3>
            <dl class="facts">
              <dt>{t('intake.testifierName')}</dt>
              <dd>
                <bdi>{testimony.testifier_name || '—'}</bdi>
              </dd>
              {testimony.testifier_contact !== undefined && testimony.testifier_contact !== '' && (
                <>
                  <dt>{t('intake.testifierContact')}</dt>
                  <dd class="contact">
                    <bdi>{testimony.testifier_contact}</bdi>
                  </dd>
                </>
              )}
              <dt>{t('intake.consent')}</dt>
              <dd>{label('consent', testimony.consent)}</dd>
            </dl>
            {testimony.summary && <p dir="auto">{testimony.summary}</p>}
          </div>
        ))}
      </section>
      <section class="card">
        <h2>{t('person.relatives')}</h2>
        {relations.length === 0 ? (
          <p class="note">{t('person.noRelatives')}</p>
        ) : (
          <ul>
            {relations.map((relation) => {
              const other = relation.from === person.id ? relation.to : relation.from;
              return (
                <li key={relation.id}>
                  {label('relation', relation.kind)}: <Link href={`/persons/${other}`}>{other}</Link>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {roleAtLeast(me.role, 'viewer') && <Evidence id={person.id} canDownload={roleAtLeast(me.role, 'editor')} />}
      {roleAtLeast(me.role, 'viewer') && <History id={person.id} canRevert={roleAtLeast(me.role, 'editor')} onReverted={reload} />}
    </article>
  );
}

interface EvidenceItem {
  id: string;
  kind?: string;
  media_type?: string;
  original_name?: string;
  note?: string;
  size?: number;
}

function Evidence({ id, canDownload }: { id: string; canDownload: boolean }) {
  const [items] = useLoad(async () => (await api.get<{ evidence: EvidenceItem[] }>(`/api/persons/${id}/evidence`)).evidence, [id]);
  if (items.state === 'loading') return null;
  if (items.state === 'error') return <ErrorBox error={items.error} />;
  return (
    <section class="card">
      <h2>{t('person.evidence')}</h2>
      {items.value.length === 0 && <p class="note">{t('person.noEvidence')}</p>}
      <ul class="evidence">
        {items.value.map((item) => {
          const file = `/api/evidence/${encodeURIComponent(item.id)}/file`;
          const name = item.original_name || item.id;
          return (
            <li key={item.id} data-evidence={item.id}>
              {!canDownload ? (
                <span>
                  {item.id} · {item.kind}
                </span>
              ) : (item.media_type ?? '').startsWith('image/') ? (
                <a href={file} download={name}>
                  <img src={file} alt={item.note || name} loading="lazy" width={96} height={96} />
                </a>
              ) : (
                <a href={file} download={name}>
                  {name}
                </a>
              )}
              {item.note && <small>{item.note}</small>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function History({ id, canRevert, onReverted }: { id: string; canRevert: boolean; onReverted: () => void }) {
  const [history, reload] = useLoad(() => api.get<{ history: AuditEntry[] }>(`/api/persons/${id}/history`), [id]);
  const [error, setError] = useState<unknown>(null);
  const revert = async (entry: AuditEntry) => {
    if (!window.confirm(t('person.revertConfirm'))) return;
    setError(null);
    try {
      await api.post(`/api/audit/${entry.id}/revert`);
      reload();
      onReverted();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section class="card">
      <h2>{t('person.history')}</h2>
      <ErrorBox error={error} />
      {history.state === 'loading' && <Loading />}
      {history.state === 'error' && <ErrorBox error={history.error} />}
      {history.state === 'ok' && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('person.when')}</th>
              <th scope="col">{t('person.who')}</th>
              <th scope="col">{t('person.what')}</th>
              {canRevert && <th scope="col">{t('common.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {history.value.history.map((entry) => (
              <tr key={entry.id}>
                <td>{formatDateTime(entry.at)}</td>
                <td>{entry.actor}</td>
                <td>
                  {entry.action} {entry.entity}
                </td>
                {canRevert && (
                  <td>
                    <button type="button" onClick={() => revert(entry)}>
                      {t('person.revert')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
