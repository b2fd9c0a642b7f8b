import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, query, type SearchResult } from '../api';
import { errorText } from '../components';
import { ErrorBox, Field, Link, Select, kConsent, kEthnicities, kEventTypes, kGenders, kMedia, kPrivacy, label } from '../components';
import { browserStorage, DraftStore, emptyDraft, emptyEvent, emptyPerson, type DraftEvent, type DraftPerson, type IntakeDraft } from '../draft';
import { formatDateTime, t } from '../i18n';
import { checkDraft, evidenceForm, submitDraft, type DraftProblem, type SubmitResult } from '../intake';

const store = new DraftStore(browserStorage());

/** Existing persons that may be the one being typed, from any script, as the name is typed. */
export function Candidates({ name, onPick }: { name: string; onPick: (found: SearchResult) => void }) {
  const [found, setFound] = useState<SearchResult[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const text = name.trim();
    if (text.length < 2) {
      setFound([]);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      api.get<{ results: SearchResult[] }>('/api/search' + query({ q: text, limit: 5 })).then(
        (answer) => {
          if (!live) return;
          setError(null);
          setFound(answer.results);
        },
        (caught: unknown) => live && setError(caught),
      );
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [name]);
  if (error) return <ErrorBox error={error} />;
  if (found.length === 0) return null;
  return (
    <div class="candidates" aria-live="polite">
      <p>{t('intake.maybeSame')}</p>
      <ul>
        {found.map((row) => (
          <li key={row.id}>
            <button type="button" onClick={() => onPick(row)} data-candidate={row.id}>
              {t('intake.pick')}: <bdi>{row.matched_name || row.name}</bdi>
              {row.matched_name && row.matched_name !== row.name ? (
                <>
                  {' '}
                  (<bdi>{row.name}</bdi>)
                </>
              ) : null}{' '}
              · {row.id} · {label('status', row.status)} · {row.birth_year ?? '—'}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function problemFor(problems: DraftProblem[], path: string): string | undefined {
  const found = problems.find((p) => p.path === path);
  return found ? t(found.message) : undefined;
}

function EventRow(props: { id: string; event: DraftEvent; problems: DraftProblem[]; path: string; onChange: (e: DraftEvent) => void; onRemove: () => void }) {
  const { event, id } = props;
  const set = (key: keyof DraftEvent) => (value: string) => props.onChange({ ...event, [key]: value });
  return (
    <fieldset class="event" disabled={!!event.created}>
      <legend>{t('intake.event')}</legend>
      <Field id={`${id}-type`} label={t('intake.eventType')}>
        <Select id={`${id}-type`} group="status" options={kEventTypes} value={event.type} onChange={set('type')} />
      </Field>
      <Field id={`${id}-date`} label={t('intake.eventDate')} hint={t('dates.hint')} error={problemFor(props.problems, `${props.path}.date`)}>
        <input id={`${id}-date`} value={event.date} onInput={(e) => set('date')(e.currentTarget.value)} aria-describedby={`${id}-date-hint`} />
      </Field>
      <Field id={`${id}-place`} label={t('intake.eventPlace')}>
        <input id={`${id}-place`} dir="auto" value={event.place} onInput={(e) => set('place')(e.currentTarget.value)} />
      </Field>
      <Field id={`${id}-note`} label={t('intake.eventNote')}>
        <input id={`${id}-note`} dir="auto" value={event.note} onInput={(e) => set('note')(e.currentTarget.value)} />
      </Field>
      <button type="button" class="link" onClick={props.onRemove}>
        {t('intake.removeEvent')}
      </button>
    </fieldset>
  );
}

function PersonBlock(props: {
  index: number;
  person: DraftPerson;
  problems: DraftProblem[];
  files: File[];
  onFiles: (files: File[]) => void;
  onChange: (p: DraftPerson) => void;
  onRemove: () => void;
}) {
  const { person, index } = props;
  const id = `p${index}`;
  const path = `persons.${index}`;
  const set = (key: keyof DraftPerson) => (value: string) => props.onChange({ ...person, [key]: value });
  const chosen = person.existing || person.created;
  return (
    <fieldset class="card person-block" data-person={index}>
      <legend>{t('intake.personN', { n: index + 1 })}</legend>
      {chosen ? (
        <p class="chosen">
          {person.existing ? t('intake.existing') : t('intake.created')}: <Link href={`/persons/${chosen}`}>{chosen}</Link>{' '}
          <bdi>{person.existingName || person.name}</bdi>{' '}
          {!person.created && (
            <button type="button" class="link" onClick={() => props.onChange({ ...person, existing: '', existingName: '' })}>
              {t('intake.unpick')}
            </button>
          )}
        </p>
      ) : (
        <>
          <Field id={`${id}-name`} label={t('intake.name')} hint={t('intake.nameHint')} error={problemFor(props.problems, `${path}.name`)}>
            <input id={`${id}-name`} dir="auto" autoComplete="off" value={person.name} onInput={(e) => set('name')(e.currentTarget.value)} aria-describedby={`${id}-name-hint`} />
          </Field>
          <Candidates name={person.name} onPick={(row) => props.onChange({ ...person, existing: row.id, existingName: row.name })} />
          <p class="note">{t('intake.orCreate')}</p>
          <div class="grid">
            <Field id={`${id}-gender`} label={t('person.gender')}>
              <Select id={`${id}-gender`} group="gender" options={kGenders} value={person.gender} onChange={set('gender')} />
            </Field>
            <Field id={`${id}-birth`} label={t('person.born')} hint={t('dates.hint')} error={problemFor(props.problems, `${path}.birthDate`)}>
              <input id={`${id}-birth`} value={person.birthDate} onInput={(e) => set('birthDate')(e.currentTarget.value)} />
            </Field>
            <Field id={`${id}-ethnicity`} label={t('person.ethnicity')}>
              <Select id={`${id}-ethnicity`} group="ethnicity" options={kEthnicities} value={person.ethnicity} onChange={set('ethnicity')} empty="—" />
            </Field>
            <Field id={`${id}-hometown`} label={t('person.hometown')}>
              <input id={`${id}-hometown`} dir="auto" value={person.hometown} onInput={(e) => set('hometown')(e.currentTarget.value)} />
            </Field>
          </div>
        </>
      )}
      <Field id={`${id}-relation`} label={t('intake.relation')} hint={t('intake.relationHint')}>
        <input id={`${id}-relation`} dir="auto" value={person.relation} onInput={(e) => set('relation')(e.currentTarget.value)} />
      </Field>
      {person.events.map((event, eventIndex) => (
        <EventRow
          key={eventIndex}
          id={`${id}-e${eventIndex}`}
          path={`${path}.events.${eventIndex}`}
          event={event}
          problems={props.problems}
          onChange={(next) => props.onChange({ ...person, events: person.events.map((e, j) => (j === eventIndex ? next : e)) })}
          onRemove={() => props.onChange({ ...person, events: person.events.filter((_, j) => j !== eventIndex) })}
        />
      ))}
      <Field id={`${id}-files`} label={t('intake.evidence')} hint={t('intake.evidenceHint')}>
        <input
          id={`${id}-files`}
          type="file"
          multiple
          accept="image/*,video/*,audio/*,application/pdf"
          onChange={(e) => props.onFiles(Array.from(e.currentTarget.files ?? []))}
          aria-describedby={`${id}-files-hint`}
        />
      </Field>
      {props.files.length > 0 && (
        <ul class="files">
          {props.files.map((file) => (
            <li key={file.name}>
              <bdi>{file.name}</bdi>
            </li>
          ))}
        </ul>
      )}
      <div class="row">
        <button type="button" onClick={() => props.onChange({ ...person, events: [...person.events, emptyEvent()] })}>
          {t('intake.addEvent')}
        </button>
        {!person.created && (
          <button type="button" class="link" onClick={props.onRemove}>
            {t('intake.removePerson')}
          </button>
        )}
      </div>
    </fieldset>
  );
}

export function IntakePage() {
  const [draft, setDraftState] = useState<IntakeDraft>(() => store.load());
  const [problems, setProblems] = useState<DraftProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<SubmitResult | null>(null);
  // Files cannot be kept in the draft: they live only while the page is open.
  const [files, setFiles] = useState<File[][]>([]);
  const [uploadProblems, setUploadProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState<boolean>(true);
  const restored = useRef(draft.savedAt);

  const setDraft = (next: IntakeDraft) => {
    setDraftState(next);
    setSaved(store.save(next));
  };
  const set = (key: keyof IntakeDraft) => (value: string) => setDraft({ ...draft, [key]: value });
  const started = useMemo(() => draft.persons.some((p) => p.created) || !!draft.testimony, [draft]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = checkDraft(draft);
    setProblems(found);
    setError(null);
    if (found.length > 0) {
      const first = found[0]!;
      document.querySelector<HTMLElement>('.field.invalid input, .field.invalid select')?.focus();
      setError(new Error(t(first.message)));
      return;
    }
    setBusy(true);
    try {
      const result = await submitDraft(api, draft, (next) => setDraft(next));
      const problems: string[] = [];
      for (let index = 0; index < result.persons.length; index++) {
        for (const file of files[index] ?? []) {
          const form = evidenceForm(file, result.persons[index] ?? '', result.testimony, draft.consent);
          try {
            await api.upload('/api/evidence', form);
          } catch (caught) {
            problems.push(`${file.name}: ${errorText(caught)}`);
          }
        }
      }
      setUploadProblems(problems);
      setFiles([]);
      store.clear();
      setDone(result);
      setDraftState(emptyDraft());
    } catch (caught) {
      // The draft stays, with what the server already has marked; submit again to finish.
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section class="card" role="status">
        <h1>{t('intake.recorded', { id: done.testimony })}</h1>
        {uploadProblems.length > 0 && (
          <div role="alert" class="error">
            <p>{t('intake.evidenceFailed')}</p>
            <ul>
              {uploadProblems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </div>
        )}
        <ul>
          {done.persons.map((id) => (
            <li key={id}>
              <Link href={`/persons/${id}`}>{id}</Link>
            </li>
          ))}
        </ul>
        <button type="button" class="primary" onClick={() => setDone(null)}>
          {t('intake.another')}
        </button>
      </section>
    );
  }

  return (
    <section>
      <h1>{t('intake.title')}</h1>
      {restored.current && (
        <p class="note" role="status">
          {t('intake.restored', { at: formatDateTime(restored.current) })}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <fieldset class="card consent">
          <legend>{t('intake.consentTitle')}</legend>
          <p>{t('intake.consentHelp')}</p>
          <div role="radiogroup" aria-labelledby="consent-label" class={problemFor(problems, 'consent') ? 'invalid' : ''}>
            <span id="consent-label" class="label">
              {t('intake.consent')}
            </span>
            {kConsent.map((option) => (
              <label key={option} class="choice">
                <input type="radio" name="consent" value={option} checked={draft.consent === option} onChange={() => set('consent')(option)} />
                {label('consent', option)}
              </label>
            ))}
            {problemFor(problems, 'consent') && (
              <small class="field-error" role="alert">
                {problemFor(problems, 'consent')}
              </small>
            )}
          </div>
          <Field id="privacy" label={t('intake.privacy')} hint={t('intake.privacyHelp')}>
            <Select id="privacy" group="privacy" options={kPrivacy} value={draft.privacy} onChange={set('privacy')} />
          </Field>
        </fieldset>
        <fieldset class="card" disabled={!!draft.testimony}>
          <legend>{t('intake.testifier')}</legend>
          <div class="grid">
            <Field id="testifier-name" label={t('intake.testifierName')}>
              <input id="testifier-name" dir="auto" value={draft.testifierName} onInput={(e) => set('testifierName')(e.currentTarget.value)} />
            </Field>
            <Field id="testifier-contact" label={t('intake.testifierContact')} hint={t('intake.contactHelp')}>
              <input id="testifier-contact" dir="auto" value={draft.testifierContact} onInput={(e) => set('testifierContact')(e.currentTarget.value)} />
            </Field>
            <Field id="testimony-date" label={t('intake.date')} hint={t('dates.hint')} error={problemFor(problems, 'date')}>
              <input id="testimony-date" value={draft.date} onInput={(e) => set('date')(e.currentTarget.value)} />
            </Field>
            <Field id="testimony-language" label={t('intake.language')}>
              <input id="testimony-language" value={draft.language} onInput={(e) => set('language')(e.currentTarget.value)} />
            </Field>
            <Field id="testimony-medium" label={t('intake.medium')}>
              <Select id="testimony-medium" group="medium" options={kMedia} value={draft.medium} onChange={set('medium')} />
            </Field>
            <Field id="testimony-link" label={t('intake.link')}>
              <input id="testimony-link" type="url" dir="ltr" value={draft.link} onInput={(e) => set('link')(e.currentTarget.value)} />
            </Field>
          </div>
          <Field id="testimony-summary" label={t('intake.summary')}>
            <textarea id="testimony-summary" dir="auto" rows={4} value={draft.summary} onInput={(e) => set('summary')(e.currentTarget.value)} />
          </Field>
        </fieldset>
        <h2>{t('intake.persons')}</h2>
        {draft.persons.map((person, index) => (
          <PersonBlock
            key={index}
            index={index}
            person={person}
            problems={problems}
            files={files[index] ?? []}
            onFiles={(chosen) => {
              const next = [...files];
              next[index] = chosen;
              setFiles(next);
            }}
            onChange={(next) => setDraft({ ...draft, persons: draft.persons.map((p, i) => (i === index ? next : p)) })}
            onRemove={() => {
              setFiles(files.filter((_, i) => i !== index));
              setDraft({ ...draft, persons: draft.persons.filter((_, i) => i !== index) });
            }}
          />
        ))}
        <button type="button" onClick={() => setDraft({ ...draft, persons: [...draft.persons, emptyPerson()] })}>
          {t('intake.addPerson')}
        </button>
        <ErrorBox error={error} />
        {started && <p class="note">{t('intake.partlySaved')}</p>}
        <p class="note" aria-live="polite">
          {saved ? t('intake.draftKept') : t('intake.draftNotKept')}
        </p>
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('common.saving') : t('intake.submit')}
          </button>
          <button
            type="button"
            class="link"
            onClick={() => {
              if (window.confirm(t('intake.discardConfirm'))) {
                store.clear();
                setDraftState(emptyDraft());
                setProblems([]);
              }
            }}
          >
            {t('intake.discard')}
          </button>
        </div>
      </form>
    </section>
  );
}
