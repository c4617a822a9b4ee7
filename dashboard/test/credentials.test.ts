import { describe, expect, it } from 'vitest';
import { ApiError, api, authHeaders, clear, load, parseCredential, save, webSocketToken } from '../src/credentials.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZXYifQ.c2lnbmF0dXJl';

class MemoryStorage {
  private readonly m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

/** A fetch that answers `status` with `body` and records what it was asked. */
function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
  return { f, calls };
}

describe('credentials', () => {
  it('tells a token from an API key as the server does, and sends each in its header', () => {
    expect(parseCredential(`  ${JWT} `)).toEqual({ kind: 'token', value: JWT });
    expect(parseCredential('5080d043dc69abcdef')).toEqual({ kind: 'key', value: '5080d043dc69abcdef' });
    expect(parseCredential('   ')).toBeUndefined();
    expect(authHeaders({ kind: 'key', value: 'k' })).toEqual({ 'X-Api-Key': 'k' });
    expect(authHeaders({ kind: 'token', value: JWT })).toEqual({ Authorization: `Bearer ${JWT}` });
  });

  it('keeps the credential in the storage it is given until cleared', () => {
    const s = new MemoryStorage() as unknown as Storage;
    expect(load(s)).toBeUndefined();
    save(s, { kind: 'key', value: 'admin-key-0123456789' });
    expect(load(s)).toEqual({ kind: 'key', value: 'admin-key-0123456789' });
    clear(s);
    expect(load(s)).toBeUndefined();
  });

  it('trades a key for a short-lived admin token, and uses a token as it is', async () => {
    const { f, calls } = fakeFetch(200, { token: JWT, expiresAt: '2030-01-01T00:00:00Z' });
    expect(await webSocketToken({ kind: 'key', value: 'k' }, f)).toBe(JWT);
    expect(calls[0].url).toBe('/api/tokens');
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ sub: 'dashboard', admin: true, ttlSeconds: 900 });
    expect(calls[0].init.headers).toMatchObject({ 'X-Api-Key': 'k' });
    expect(await webSocketToken({ kind: 'token', value: JWT }, f)).toBe(JWT);
    expect(calls).toHaveLength(1);
  });

  it("rejects with the server's error code and message", async () => {
    const { f } = fakeFetch(400, { error: { code: 'bad_request', message: 'this server verifies RS256 tokens' } });
    const e = await webSocketToken({ kind: 'key', value: 'k' }, f).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, code: 'bad_request', message: 'this server verifies RS256 tokens', refused: false });
    const refused = await api({ kind: 'key', value: 'k' }, 'GET', '/api/stats', undefined, fakeFetch(401, { error: { code: 'unauthorized', message: 'x' } }).f)
      .catch((x: unknown) => x);
    expect(refused).toMatchObject({ refused: true, code: 'unauthorized' });
  });
});
