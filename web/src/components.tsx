import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Explanation } from './api';
import { formatNumber, t } from './i18n';
import { navigate } from './router';

export function Link(props: { href: string; children: ComponentChildren; class?: string }) {
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} onClick={onClick} class={props.class}>
      {props.children}
    </a>
  );
}

/** The message for an error from the API, in the reader's language, naming the field. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const known = `errors.${error.code}`;
    const general = t(known) === known ? t('errors.internal') : t(known);
    const field = error.field ? ` (${t('errors.field')}: ${error.field})` : '';
    return `${general}${field}: ${error.message}`;
  }
  return `${t('errors.internal')}: ${String(error)}`;
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {errorText(error)}
    </p>
  );
}

export function Unavailable() {
  return (
    <p class="note" role="status">
      {t('common.notAvailable')}
    </p>
  );
}

export type Loaded<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; error: unknown };

/** Loads once per `deps` change; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    load().then(
      (value) => live && setResult({ state: 'ok', value }),
      (error: unknown) => live && setResult({ state: 'error', error }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return [result, () => setTick((n) => n + 1)];
}

export function Loading() {
  return (
    <p class="note" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

export function ExplanationTable({ rows }: { rows: Explanation[] | undefined }) {
  if (!rows || rows.length === 0) return null;
  return (
    <table class="explanation">
      <caption>{t('search.explanation')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('search.field')}</th>
          <th scope="col">{t('search.value')}</th>
          <th scope="col">{t('search.weight')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.field + row.value}>
            <td>{fieldName(row.field)}</td>
            <td>
              <bdi>{row.value}</bdi>
            </td>
            <td class={row.weight >= 0 ? 'num plus' : 'num minus'}>{formatNumber(Math.round(row.weight * 100) / 100)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function fieldName(field: string): string {
  const key = `fields.${field}`;
  const text = t(key);
  return text === key ? field : text;
}

/** A translated enum value ("status.detained"), or the raw value when the catalogue has none. */
export function label(group: string, value: string | undefined | null): string {
  if (!value) return '—';
  const key = `${group}.${value}`;
  const text = t(key);
  return text === key ? value : text;
}

export function Field(props: { label: string; children: ComponentChildren; hint?: string; id: string; error?: string }) {
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
      {props.error && (
        <small id={`${props.id}-error`} class="field-error" role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}

export function Select(props: {
  id: string;
  value: string;
  options: string[];
  group: string;
  onChange: (value: string) => void;
  empty?: string;
}) {
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
      {props.empty !== undefined && <option value="">{props.empty}</option>}
      {props.options.map((option) => (
        <option key={option} value={option}>
          {label(props.group, option)}
        </option>
      ))}
    </select>
  );
}

export const kStatuses = [
  'unknown',
  'last_contact',
  'detained',
  'camp',
  'prison',
  'sentenced',
  'released',
  'house_arrest',
  'passport_confiscated',
  'permitted_to_leave',
  'left_china',
  'arrived_abroad',
  'citizenship_applied',
  'citizenship_granted',
  'deceased',
  'other',
];
export const kEventTypes = kStatuses.filter((s) => s !== 'unknown');
export const kEthnicities = ['kazakh', 'uyghur', 'kyrgyz', 'uzbek', 'tatar', 'hui', 'han', 'mongol', 'tajik', 'xibe', 'other'];
export const kGrades = ['ungraded', 'reported', 'corroborated', 'documented'];
export const kGenders = ['unknown', 'male', 'female'];
export const kPrivacy = ['public', 'restricted', 'private'];
export const kConsent = ['publish', 'anonymise', 'private'];
export const kMedia = ['video', 'letter', 'interview', 'document', 'other'];
export const kRoles = ['viewer', 'editor', 'reviewer', 'admin'];
export const kRelationKinds = ['parent', 'child', 'sibling', 'spouse', 'relative', 'other'];

/** "public" is the anonymous reader of a server started with --public-read. */
const kRanks = ['public', ...kRoles];
export function roleAtLeast(role: string | undefined, least: string): boolean {
  return kRanks.indexOf(role ?? '') >= kRanks.indexOf(least);
}

export type InputEvent = JSX.TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, Event>;
export const value = (event: InputEvent): string => event.currentTarget.value;
