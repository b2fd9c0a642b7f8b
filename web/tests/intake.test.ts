import { describe, expect, test } from 'vitest';
import { ApiError } from '../src/api';
import { emptyDraft, emptyEvent, emptyPerson, type IntakeDraft } from '../src/draft';
import { checkDraft, evidenceForm, evidenceKind, evidencePrivacy, submitDraft } from '../src/intake';

function twoPersonDraft(): IntakeDraft {
  return {
    ...emptyDraft(),
    consent: 'private',
    testifierName: 'Гүлнар',
    testifierContact: '+7 700 000 0000',
    date: '2019/3',
    persons: [
      { ...emptyPerson(), name: 'Серікжан Біләш', relation: 'brother', birthDate: '~1974', events: [{ ...emptyEvent(), type: 'detained', date: '2018-5' }] },
      { ...emptyPerson(), existing: 'P-000007', existingName: 'Ilham', relation: 'father' },
    ],
  };
}

/** A fake server that fails the call numbered `failAt` (1-based) once. */
function fakeServer(failAt: number) {
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  let count = 0;
  let failed = false;
  let nextPerson = 10;
  const client = {
    post: async <T,>(path: string, body?: unknown): Promise<T> => {
      count++;
      if (count === failAt && !failed) {
        failed = true;
        throw new ApiError(503, { code: 'unavailable', message: 'database is down' });
      }
      calls.push({ path, body: body as Record<string, unknown> });
      if (path === '/api/persons') return { person: { id: `P-0000${nextPerson++}` } } as T;
      if (path === '/api/testimonies') return { id: 'T-000001' } as T;
      return { id: `E-00000${calls.length}` } as T;
    },
  };
  return { client, calls };
}

describe('recording a testimony', () => {
  test('what must be fixed is named by its input', () => {
    const draft = { ...emptyDraft(), date: '2018-13', persons: [{ ...emptyPerson(), events: [{ ...emptyEvent(), date: '18' }] }] };
    expect(checkDraft(draft).map((p) => p.path)).toEqual(['consent', 'date', 'persons.0.name', 'persons.0.events.0.date']);
    expect(checkDraft(twoPersonDraft())).toEqual([]);
  });

  test('one testimony names both persons, with canonical dates', async () => {
    const { client, calls } = fakeServer(0);
    const result = await submitDraft(client, twoPersonDraft(), () => {});
    expect(result).toEqual({ testimony: 'T-000001', persons: ['P-000010', 'P-000007'] });
    expect(calls.map((c) => c.path)).toEqual(['/api/persons', '/api/testimonies', '/api/events']);
    expect(calls[0]?.body).toMatchObject({ names: [{ text: 'Серікжан Біләш' }], birth_date: '~1974', privacy: 'restricted' });
    expect(calls[1]?.body).toMatchObject({
      date: '2019-03',
      consent: 'private',
      testifier_contact: '+7 700 000 0000',
      persons: [
        { person: 'P-000010', relation: 'brother' },
        { person: 'P-000007', relation: 'father' },
      ],
    });
    expect(calls[2]?.body).toEqual({ person: 'P-000010', type: 'detained', date: '2018-05', testimony: 'T-000001' });
  });

  test('a submit that fails half-way keeps the draft and a retry creates nothing twice', async () => {
    const { client, calls } = fakeServer(2); // the testimony fails the first time
    let saved: IntakeDraft | null = null;
    const draft = twoPersonDraft();
    await expect(submitDraft(client, draft, (d) => (saved = d))).rejects.toMatchObject({ code: 'unavailable' });
    expect(saved).not.toBeNull();
    const kept = saved as unknown as IntakeDraft;
    expect(kept.persons[0]?.created).toBe('P-000010');
    expect(kept.persons[0]?.name).toBe('Серікжан Біләш');
    expect(kept.testimony).toBe('');
    expect(draft.persons[0]?.created).toBe(''); // the caller's object is not changed behind its back

    const result = await submitDraft(client, kept, (d) => (saved = d));
    expect(result.persons).toEqual(['P-000010', 'P-000007']);
    expect(calls.filter((c) => c.path === '/api/persons')).toHaveLength(1);
    expect(calls.filter((c) => c.path === '/api/testimonies')).toHaveLength(1);
    expect(calls.filter((c) => c.path === '/api/events')).toHaveLength(1);
  });
});

describe('evidence uploads', () => {
  test("the testifier's consent decides the evidence privacy", () => {
    expect(evidencePrivacy('publish')).toBe('public');
    expect(evidencePrivacy('anonymise')).toBe('restricted');
    expect(evidencePrivacy('private')).toBe('private');
    expect(evidencePrivacy('')).toBe('private');
  });

  test('the kind follows the media type', () => {
    expect(evidenceKind('image/jpeg')).toBe('photo');
    expect(evidenceKind('video/mp4')).toBe('video');
    expect(evidenceKind('audio/ogg')).toBe('audio');
    expect(evidenceKind('application/pdf')).toBe('document');
    expect(evidenceKind('')).toBe('document');
  });

  test('the form has the fields of POST /api/evidence', () => {
    const file = new File([new Uint8Array([1, 2, 3])], 'scan.pdf', { type: 'application/pdf' });
    const form = evidenceForm(file, 'P-000002', 'T-000001', 'anonymise');
    expect([...form.keys()].sort()).toEqual(['file', 'kind', 'person', 'privacy', 'testimony']);
    expect(form.get('person')).toBe('P-000002');
    expect(form.get('testimony')).toBe('T-000001');
    expect(form.get('kind')).toBe('document');
    expect(form.get('privacy')).toBe('restricted');
    expect((form.get('file') as File).name).toBe('scan.pdf');
    expect(evidenceForm(file, '', 'T-000001', 'private').has('person')).toBe(false);
  });
});
