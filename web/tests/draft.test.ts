import { describe, expect, test } from 'vitest';
import { DraftStore, emptyDraft, emptyEvent, emptyPerson, kDraftKey, type StorageLike } from '../src/draft';

class MemoryStorage implements StorageLike {
  items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

describe('the intake draft', () => {
  test('a half-filled form survives a reload', () => {
    const storage = new MemoryStorage();
    const draft = emptyDraft();
    draft.consent = 'anonymise';
    draft.testifierName = 'Айгүл';
    draft.persons = [{ ...emptyPerson(), name: 'Серікжан Біләш', events: [{ ...emptyEvent(), date: '2018-05' }] }];
    expect(new DraftStore(storage).save(draft, new Date('2026-01-02T03:04:05Z'))).toBe(true);

    const restored = new DraftStore(storage).load();
    expect(restored.testifierName).toBe('Айгүл');
    expect(restored.persons[0]?.name).toBe('Серікжан Біләш');
    expect(restored.persons[0]?.events[0]?.date).toBe('2018-05');
    expect(restored.savedAt).toBe('2026-01-02T03:04:05.000Z');
  });

  test('an untouched form is not kept', () => {
    const storage = new MemoryStorage();
    storage.setItem(kDraftKey, 'stale');
    new DraftStore(storage).save(emptyDraft());
    expect(storage.items.has(kDraftKey)).toBe(false);
  });

  test('a corrupt or old draft gives an empty form instead of a crash', () => {
    const storage = new MemoryStorage();
    storage.setItem(kDraftKey, '{not json');
    expect(new DraftStore(storage).load()).toEqual(emptyDraft());
    storage.setItem(kDraftKey, JSON.stringify({ version: 0, persons: [] }));
    expect(new DraftStore(storage).load()).toEqual(emptyDraft());
  });

  test('fields added since a draft was saved get their defaults', () => {
    const storage = new MemoryStorage();
    storage.setItem(kDraftKey, JSON.stringify({ version: 1, summary: 'kept', persons: [{ name: 'A', events: [{ type: 'camp' }] }] }));
    const draft = new DraftStore(storage).load();
    expect(draft.summary).toBe('kept');
    expect(draft.persons[0]).toMatchObject({ name: 'A', existing: '', created: '' });
    expect(draft.persons[0]?.events[0]).toEqual({ ...emptyEvent(), type: 'camp' });
  });

  test('a browser that refuses storage is reported, not thrown', () => {
    const full: StorageLike = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
      removeItem: () => {},
    };
    const draft = { ...emptyDraft(), summary: 'x' };
    expect(new DraftStore(full).save(draft)).toBe(false);
    expect(new DraftStore(null).save(draft)).toBe(false);
  });
});
