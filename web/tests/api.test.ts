import { describe, expect, test } from 'vitest';
import { ApiClient, ApiError, query } from '../src/api';

function respond(status: number, body: string, calls: { url: string; init?: RequestInit }[] = []) {
  return async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
  };
}

describe('the API client', () => {
  test('turns the error body into an ApiError naming code and field', async () => {
    const client = new ApiClient(respond(400, '{"error":{"code":"invalid_argument","message":"month 13 out of range","field":"birth_date"}}'));
    const error = await client.post('/api/persons', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_argument', field: 'birth_date', message: 'month 13 out of range' });
  });

  test('a failure without a JSON body still becomes an ApiError', async () => {
    const client = new ApiClient(respond(502, '<html>bad gateway</html>'));
    const error = (await client.get('/api/stats').catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('internal');
    expect(error.status).toBe(502);
  });

  test('a network failure is "unavailable", not an exception of another kind', async () => {
    const client = new ApiClient(async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = (await client.get('/api/me').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('unavailable');
  });

  test('state-changing requests carry the CSRF token from login; reads do not', async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    let answer = '{"user":{"name":"ana","role":"editor"},"role":"editor","csrf_token":"tok-1","expires_at":""}';
    const client = new ApiClient(async (url, init) => {
      calls.push({ url, init });
      return new Response(answer, { status: 200 });
    });
    await client.login('ana', 'secret-password');
    answer = '{}';
    await client.post('/api/events', { person: 'P-000001', type: 'detained' });
    await client.get('/api/stats');
    const headers = (n: number) => (calls[n]?.init?.headers ?? {}) as Record<string, string>;
    expect(headers(1)['X-CSRF-Token']).toBe('tok-1');
    expect(headers(1)['Content-Type']).toBe('application/json');
    expect(calls[1]?.init?.body).toBe('{"person":"P-000001","type":"detained"}');
    expect(headers(2)['X-CSRF-Token']).toBeUndefined();
  });

  test('a 401 tells the app the session ended', async () => {
    const client = new ApiClient(respond(401, '{"error":{"code":"unauthenticated","message":"sign in"}}'));
    let ended = false;
    client.onUnauthenticated = () => {
      ended = true;
    };
    await expect(client.get('/api/me')).rejects.toBeInstanceOf(ApiError);
    expect(ended).toBe(true);
  });

  test('a route the server lacks is told apart from a missing record', async () => {
    const missingRoute = (await new ApiClient(respond(404, '{"error":{"code":"not_found","message":"no such route"}}'))
      .get('/api/duplicates')
      .catch((e: unknown) => e)) as ApiError;
    const missingPerson = (await new ApiClient(respond(404, '{"error":{"code":"not_found","message":"no person P-000009"}}'))
      .get('/api/persons/P-000009')
      .catch((e: unknown) => e)) as ApiError;
    expect(missingRoute.missingRoute).toBe(true);
    expect(missingPerson.missingRoute).toBe(false);
  });

  test('query strings leave out empty values and encode any script', () => {
    expect(query({ q: 'Серікжан 赛力克江', status: '', limit: 5, x: undefined })).toBe(
      '?q=%D0%A1%D0%B5%D1%80%D1%96%D0%BA%D0%B6%D0%B0%D0%BD+%E8%B5%9B%E5%8A%9B%E5%85%8B%E6%B1%9F&limit=5',
    );
    expect(query({ q: '' })).toBe('');
  });
});
