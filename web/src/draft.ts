// The testimony intake draft: kept in localStorage as it is typed, so that a reload, a closed
// tab or a failed submit never loses a half-filled form. Cleared only after the server has
// accepted the testimony.

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface DraftEvent {
  type: string;
  date: string;
  place: string;
  note: string;
  /** Set once recorded on the server (a retried submit skips it). */
  created: string;
}

export interface DraftPerson {
  /** Set when the volunteer picked an existing person; empty: create one from `name`. */
  existing: string;
  existingName: string;
  name: string;
  relation: string;
  gender: string;
  birthDate: string;
  ethnicity: string;
  hometown: string;
  events: DraftEvent[];
  /** Set once this person was created on the server, so a retried submit does not create it twice. */
  created: string;
}

export interface IntakeDraft {
  version: 1;
  consent: string;
  privacy: string;
  testifierName: string;
  testifierContact: string;
  date: string;
  language: string;
  medium: string;
  summary: string;
  link: string;
  persons: DraftPerson[];
  /** Set once the testimony was recorded on the server. */
  testimony: string;
  savedAt: string;
}

export const kDraftKey = 'izde.intake.draft.v1';

export function emptyEvent(): DraftEvent {
  return { type: 'detained', date: '', place: '', note: '', created: '' };
}

export function emptyPerson(): DraftPerson {
  return {
    existing: '',
    existingName: '',
    name: '',
    relation: '',
    gender: 'unknown',
    birthDate: '',
    ethnicity: '',
    hometown: '',
    events: [],
    created: '',
  };
}

export function emptyDraft(): IntakeDraft {
  return {
    version: 1,
    consent: '',
    privacy: 'restricted',
    testifierName: '',
    testifierContact: '',
    date: '',
    language: '',
    medium: 'interview',
    summary: '',
    link: '',
    persons: [emptyPerson()],
    testimony: '',
    savedAt: '',
  };
}

/** True when nothing was typed yet (an empty draft is not worth keeping). */
export function isEmptyDraft(draft: IntakeDraft): boolean {
  const blank = emptyDraft();
  const strip = (d: IntakeDraft) => JSON.stringify({ ...d, savedAt: '' });
  return strip(draft) === strip(blank);
}

export class DraftStore {
  constructor(
    private readonly storage: StorageLike | null,
    private readonly key = kDraftKey,
  ) {}

  load(): IntakeDraft {
    if (!this.storage) return emptyDraft();
    let raw: string | null = null;
    try {
      raw = this.storage.getItem(this.key);
    } catch {
      return emptyDraft();
    }
    if (!raw) return emptyDraft();
    try {
      const parsed = JSON.parse(raw) as Partial<IntakeDraft>;
      if (parsed.version !== 1 || !Array.isArray(parsed.persons)) return emptyDraft();
      const base = emptyDraft();
      return {
        ...base,
        ...parsed,
        persons: parsed.persons.map((person) => ({
          ...emptyPerson(),
          ...person,
          events: Array.isArray(person.events) ? person.events.map((e) => ({ ...emptyEvent(), ...e })) : [],
        })),
      } as IntakeDraft;
    } catch {
      return emptyDraft();
    }
  }

  /** Saves the draft; returns false when the browser refused (private mode, quota). */
  save(draft: IntakeDraft, now: Date = new Date()): boolean {
    if (!this.storage) return false;
    try {
      if (isEmptyDraft(draft)) {
        this.storage.removeItem(this.key);
      } else {
        this.storage.setItem(this.key, JSON.stringify({ ...draft, savedAt: now.toISOString() }));
      }
      return true;
    } catch {
      return false;
    }
  }

  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      /* nothing to lose */
    }
  }
}

export function browserStorage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
