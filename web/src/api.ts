// The JSON API client (docs/server.md): one place for the session's CSRF token, JSON bodies and
// the API's error shape {"error":{"code","message","field"}}.

export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.field = body.field;
  }
  /** True for a route the server does not have yet (404 "no such route"). */
  get missingRoute(): boolean {
    return this.status === 404 && this.message === 'no such route';
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface Me {
  user: { name: string; role: string; disabled?: boolean };
  role: string;
  csrf_token: string;
  expires_at: string;
}

export class ApiClient {
  private csrf = '';
  private readonly doFetch: Fetch;
  /** Called when any request answers 401: the session ended. */
  onUnauthenticated: (() => void) | null = null;

  constructor(doFetch?: Fetch, private readonly base = '') {
    this.doFetch = doFetch ?? ((input, init) => fetch(input, init));
  }

  setCsrf(token: string): void {
    this.csrf = token;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (method !== 'GET' && method !== 'HEAD') {
      headers['X-CSRF-Token'] = this.csrf;
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
    }
    let response: Response;
    try {
      response = await this.doFetch(this.base + path, init);
    } catch (cause) {
      throw new ApiError(0, { code: 'unavailable', message: `network: ${String(cause)}` });
    }
    return this.decode<T>(response);
  }

  /** multipart/form-data (evidence files); the browser sets the boundary. */
  async upload<T>(path: string, form: FormData): Promise<T> {
    let response: Response;
    try {
      response = await this.doFetch(this.base + path, {
        method: 'POST',
        body: form,
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'X-CSRF-Token': this.csrf },
      });
    } catch (cause) {
      throw new ApiError(0, { code: 'unavailable', message: `network: ${String(cause)}` });
    }
    return this.decode<T>(response);
  }

  /** A POST whose answer is a file (the backup): its bytes and the name the server gave it. */
  async download(path: string, body?: unknown): Promise<{ blob: Blob; fileName: string }> {
    let response: Response;
    try {
      response = await this.doFetch(this.base + path, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRF-Token': this.csrf, 'Content-Type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
    } catch (cause) {
      throw new ApiError(0, { code: 'unavailable', message: `network: ${String(cause)}` });
    }
    if (!response.ok) await this.decode(response);
    const disposition = response.headers.get('Content-Disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download';
    return { blob: await response.blob(), fileName };
  }

  async text(path: string): Promise<string> {
    const response = await this.doFetch(this.base + path, { credentials: 'same-origin' });
    if (!response.ok) await this.decode(response);
    return response.text();
  }

  private async decode<T>(response: Response): Promise<T> {
    const raw = await response.text();
    let parsed: unknown = null;
    if (raw !== '') {
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = null;
      }
    }
    if (!response.ok) {
      if (response.status === 401 && this.onUnauthenticated) this.onUnauthenticated();
      const error = (parsed as { error?: ApiErrorBody } | null)?.error;
      throw new ApiError(
        response.status,
        error && typeof error.message === 'string'
          ? error
          : { code: response.status >= 500 ? 'internal' : 'invalid_argument', message: `HTTP ${response.status}` },
      );
    }
    if (parsed === null && raw !== '') {
      throw new ApiError(response.status, { code: 'internal', message: 'the answer is not JSON' });
    }
    return parsed as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  del<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async login(name: string, password: string): Promise<Me> {
    const me = await this.post<Me>('/api/login', { name, password });
    this.setCsrf(me.csrf_token);
    return me;
  }
  async me(): Promise<Me> {
    const me = await this.get<Me>('/api/me');
    this.setCsrf(me.csrf_token);
    return me;
  }
  async logout(): Promise<void> {
    await this.post('/api/logout');
    this.csrf = '';
  }
}

/** Builds a query string from the set (non-empty) values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export const api = new ApiClient();

// --- shapes of the answers the UI reads --------------------------------------------------------

export interface PersonName {
  text: string;
  script?: string;
  part?: string;
  source?: string;
}
export interface Person {
  id: string;
  external_id?: string;
  names: PersonName[];
  gender?: string;
  birth_date?: string;
  ethnicity?: string;
  hometown_code?: string;
  hometown_text?: string;
  occupation?: string;
  prc_id?: string;
  privacy?: string;
  grade?: string;
  notes?: string;
  version?: number;
}
export interface Event {
  id: string;
  person: string;
  type: string;
  date?: string;
  place_code?: string;
  place_text?: string;
  testimony?: string;
  source?: string;
  note?: string;
}
export interface Testimony {
  id: string;
  testifier_name?: string;
  testifier_contact?: string;
  date?: string;
  language?: string;
  medium?: string;
  summary?: string;
  transcript?: string;
  link?: string;
  consent?: string;
  persons?: { person: string; relation?: string }[];
}
export interface Relation {
  id: string;
  from: string;
  to: string;
  kind: string;
  note?: string;
}
/** A Chinese spelling the server generated from a name (never stored, never from a source). */
export interface GeneratedName {
  text: string;
  score: number;
  from: string;
}
export interface PersonRecord {
  person: Person;
  generated_names?: GeneratedName[];
  status: string;
  events: Event[];
  testimonies: Testimony[];
  relations: Relation[];
  warnings?: string[];
}
export interface Explanation {
  field: string;
  value: string;
  weight: number;
}
export interface SearchResult {
  id: string;
  name: string;
  status: string;
  ethnicity?: string;
  birth_year: number | null;
  score: number;
  matched_name?: string;
  /** The name in the script of the query: matched, stored in that script, or generated. */
  name_in_script?: { text: string; script: string; generated: boolean };
  explanation?: Explanation[];
  grade?: string;
}
export interface PersonSummary {
  id: string;
  name: string;
  status: string;
  ethnicity?: string;
  birth_year: number | null;
  grade?: string;
  hometown_code?: string;
}
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  before?: unknown;
  after?: unknown;
}
export interface Stats {
  persons: number;
  by_status: Record<string, number>;
  by_ethnicity: Record<string, number>;
  by_prefecture: Record<string, number>;
  by_detention_year: Record<string, number>;
}
