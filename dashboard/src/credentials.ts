/**
 * The admin credential the page works with: an admin API key or an admin token (a JWT with
 * `admin: true`), entered once, kept in this tab's sessionStorage and never put in a URL. HTTP calls
 * carry it as a header; the WebSocket needs a token, so a key is traded for a short-lived admin
 * token (`POST /api/tokens`), again whenever the server closes with 4001.
 */
export type Credential = { kind: 'key' | 'token'; value: string };

const STORAGE_KEY = 'herald.dashboard.credential';
/** How long the tokens the page asks for live: renewed on each 4001, so short is cheap. */
export const TOKEN_TTL_SECONDS = 900;

/** A JWT is three base64url parts separated by dots; an API key is anything else (as the server tells them apart). */
export function parseCredential(input: string): Credential | undefined {
  const value = input.trim();
  if (!value) return undefined;
  return { kind: /^[\w-]+\.[\w-]+\.[\w-]*$/.test(value) ? 'token' : 'key', value };
}

export function load(storage: Storage): Credential | undefined {
  const v = storage.getItem(STORAGE_KEY);
  return v === null ? undefined : parseCredential(v);
}

export function save(storage: Storage, c: Credential): void {
  storage.setItem(STORAGE_KEY, c.value);
}

export function clear(storage: Storage): void {
  storage.removeItem(STORAGE_KEY);
}

/** The headers that carry the credential on an API call. */
export function authHeaders(c: Credential): Record<string, string> {
  return c.kind === 'key' ? { 'X-Api-Key': c.value } : { Authorization: `Bearer ${c.value}` };
}

/** A failed API call: its HTTP status and the server's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** The credential itself was refused: ask for another. */
  get refused(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** Calls the admin API with the credential; resolves with the JSON answer, rejects with an {@link ApiError}. */
export async function api<T>(c: Credential, method: string, path: string, body?: unknown, f: typeof fetch = fetch): Promise<T> {
  let r: Response;
  try {
    r = await f(path, {
      method,
      headers: { ...authHeaders(c), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'unavailable', `cannot reach the server: ${(e as Error).message}`);
  }
  const text = await r.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!r.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(r.status, err?.code ?? 'internal', err?.message ?? `${method} ${path}: HTTP ${r.status}`);
  }
  return json as T;
}

/**
 * A token for the page's WebSocket: the credential itself when it is a token, else a fresh admin
 * token for the key (`bad_request` from a server that cannot sign: enter an admin token instead).
 */
export async function webSocketToken(c: Credential, f: typeof fetch = fetch): Promise<string> {
  if (c.kind === 'token') return c.value;
  const r = await api<{ token: string }>(c, 'POST', '/api/tokens', { sub: 'dashboard', admin: true, ttlSeconds: TOKEN_TTL_SECONDS }, f);
  return r.token;
}
