// Turning an intake draft into API calls. Each step that succeeds is written back into the
// draft (ids of created persons, the testimony, events), so that a submit that fails half-way
// can be retried without creating anything twice, and nothing typed is lost.
import type { ApiClient, Person, Testimony } from './api';
import type { DraftPerson, IntakeDraft } from './draft';
import { normalisePartialDate, type DateProblem } from './partialDate';

export interface DraftProblem {
  /** A dotted path to the input: "consent", "persons.1.name", "persons.0.events.2.date". */
  path: string;
  /** A catalogue key. */
  message: string;
  problem?: DateProblem;
}

/** What must be fixed before submitting; empty when the draft can go. */
export function checkDraft(draft: IntakeDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (!draft.consent) problems.push({ path: 'consent', message: 'intake.needConsent' });
  const date = (path: string, text: string) => {
    const result = normalisePartialDate(text);
    if (!result.ok) problems.push({ path, message: `dates.${result.problem}`, problem: result.problem });
  };
  date('date', draft.date);
  if (draft.persons.length === 0) problems.push({ path: 'persons', message: 'intake.needPerson' });
  draft.persons.forEach((person, index) => {
    if (!person.existing && !person.created && person.name.trim() === '') {
      problems.push({ path: `persons.${index}.name`, message: 'intake.needName' });
    }
    date(`persons.${index}.birthDate`, person.birthDate);
    person.events.forEach((event, eventIndex) => date(`persons.${index}.events.${eventIndex}.date`, event.date));
  });
  return problems;
}

function canonical(text: string): string {
  const result = normalisePartialDate(text);
  return result.ok ? result.text : text;
}

function personBody(person: DraftPerson, privacy: string): Record<string, unknown> {
  const body: Record<string, unknown> = { names: [{ text: person.name.trim() }], privacy };
  if (person.gender && person.gender !== 'unknown') body.gender = person.gender;
  if (person.birthDate.trim()) body.birth_date = canonical(person.birthDate);
  if (person.ethnicity) body.ethnicity = person.ethnicity;
  if (person.hometown.trim()) body.hometown_text = person.hometown.trim();
  return body;
}

export interface SubmitResult {
  testimony: string;
  persons: string[];
}

/**
 * Records the draft: creates the new persons, the testimony naming all of them, then each
 * event. `save` is called with the updated draft after every step that changed the server.
 * Throws the first ApiError; the draft passed to `save` by then says what is already done.
 */
export async function submitDraft(
  client: Pick<ApiClient, 'post'>,
  start: IntakeDraft,
  save: (draft: IntakeDraft) => void,
): Promise<SubmitResult> {
  let draft: IntakeDraft = structuredClone(start);
  const update = (next: IntakeDraft) => {
    draft = next;
    save(structuredClone(draft));
  };

  const ids: string[] = [];
  for (let index = 0; index < draft.persons.length; index++) {
    const person = draft.persons[index]!;
    let id = person.existing || person.created;
    if (!id) {
      const created = await client.post<{ person: Person }>('/api/persons', personBody(person, draft.privacy));
      id = created.person.id;
      const persons = draft.persons.map((p, i) => (i === index ? { ...p, created: id } : p));
      update({ ...draft, persons });
    }
    ids.push(id);
  }

  if (!draft.testimony) {
    const body: Record<string, unknown> = {
      testifier_name: draft.testifierName.trim(),
      testifier_contact: draft.testifierContact.trim(),
      date: canonical(draft.date),
      language: draft.language.trim(),
      medium: draft.medium,
      summary: draft.summary,
      link: draft.link.trim(),
      consent: draft.consent,
      persons: draft.persons.map((person, index) => ({ person: ids[index], relation: person.relation.trim() })),
    };
    for (const key of Object.keys(body)) if (body[key] === '') delete body[key];
    const testimony = await client.post<Testimony>('/api/testimonies', body);
    update({ ...draft, testimony: testimony.id });
  }

  for (let index = 0; index < draft.persons.length; index++) {
    const events = draft.persons[index]!.events;
    for (let eventIndex = 0; eventIndex < events.length; eventIndex++) {
      const event = events[eventIndex]!;
      if (event.created) continue;
      const body: Record<string, unknown> = { person: ids[index], type: event.type, testimony: draft.testimony };
      if (event.date.trim()) body.date = canonical(event.date);
      if (event.place.trim()) body.place_text = event.place.trim();
      if (event.note.trim()) body.note = event.note.trim();
      const created = await client.post<{ id: string }>('/api/events', body);
      const persons = draft.persons.map((p, i) =>
        i === index ? { ...p, events: p.events.map((e, j) => (j === eventIndex ? { ...e, created: created.id } : e)) } : p,
      );
      update({ ...draft, persons });
    }
  }
  return { testimony: draft.testimony, persons: ids };
}

/** The evidence privacy (`izde evidence add --privacy`) that follows from the testifier's consent. */
export function evidencePrivacy(consent: string): 'public' | 'restricted' | 'private' {
  if (consent === 'publish') return 'public';
  if (consent === 'anonymise') return 'restricted';
  return 'private';
}

/** The evidence kind a file of this media type usually is. */
export function evidenceKind(mediaType: string): 'photo' | 'document' | 'video' | 'audio' {
  if (mediaType.startsWith('image/')) return 'photo';
  if (mediaType.startsWith('video/')) return 'video';
  if (mediaType.startsWith('audio/')) return 'audio';
  return 'document';
}

/** The multipart body of POST /api/evidence for one file about one person of a testimony. */
export function evidenceForm(file: File, person: string, testimony: string, consent: string): FormData {
  const form = new FormData();
  form.set('file', file, file.name);
  if (person) form.set('person', person);
  if (testimony) form.set('testimony', testimony);
  form.set('kind', evidenceKind(file.type));
  form.set('privacy', evidencePrivacy(consent));
  return form;
}
