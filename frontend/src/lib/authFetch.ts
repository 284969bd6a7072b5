import type { TokenPair, TokenStore } from "./tokens";

/** Why a session ended, shown on the sign-in page. */
export type SessionEndReason = "expired" | "signed_out";

export interface AuthFetchOptions {
  store: TokenStore;
  /** Exchanges a refresh token for a new pair; resolves null when the server refuses it. */
  refresh: (refreshToken: string) => Promise<TokenPair | null>;
  /** Called once when the session cannot be renewed (refresh rejected or reused). */
  onExpired: () => void;
  baseFetch?: (input: Request) => Promise<Response>;
  /** Requests to these path suffixes never trigger a refresh (they are the auth calls). */
  skipRefreshFor?: string[];
  /** How long a just-issued pair may be unknown to the server (it commits after answering). */
  freshWindowMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Extra headers for every call (代管: X-Act-For). */
  headers?: () => Record<string, string>;
}

/**
 * A fetch for the generated client: adds the bearer token, and on a 401 refreshes the
 * pair once (shared by every request that failed at the same time) and retries.
 * Refresh tokens rotate, so two parallel refreshes would make the server see a reuse
 * and revoke the whole family: hence the single in-flight promise.
 */
export function createAuthFetch(options: AuthFetchOptions): (input: Request) => Promise<Response> {
  const baseFetch = options.baseFetch ?? ((r: Request) => globalThis.fetch(r));
  const skip = options.skipRefreshFor ?? ["/auth/login", "/auth/refresh"];
  let inFlight: Promise<TokenPair | null> | null = null;
  const freshWindow = options.freshWindowMs ?? 3000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;

  function withToken(request: Request, pair: TokenPair | null): Request {
    const next = request.clone();
    if (pair) next.headers.set("Authorization", `Bearer ${pair.accessToken}`);
    for (const [name, value] of Object.entries(options.headers?.() ?? {})) next.headers.set(name, value);
    return next;
  }

  function refreshOnce(usedPair: TokenPair): Promise<TokenPair | null> {
    const latest = options.store.get();
    // Another request already renewed the pair while this one was on the wire.
    if (latest && latest.accessToken !== usedPair.accessToken) return Promise.resolve(latest);
    if (!inFlight) {
      inFlight = options
        .refresh(usedPair.refreshToken)
        .catch(() => null)
        .then((pair) => {
          if (pair) options.store.set(pair);
          else {
            options.store.set(null);
            options.onExpired();
          }
          return pair;
        })
        .finally(() => {
          inFlight = null;
        });
    }
    return inFlight;
  }

  /**
   * A 503 with Retry-After means the API rolled the request back (e.g. the database was
   * busy), so sending it again is safe; a few tries hide a momentary lock from the user.
   */
  async function sendWithRetry(make: () => Request): Promise<Response> {
    let response = await baseFetch(make());
    for (let attempt = 0; attempt < 3 && response.status === 503; attempt++) {
      const after = Number(response.headers.get("Retry-After"));
      if (!response.headers.has("Retry-After") || !Number.isFinite(after)) break;
      await sleep(Math.min(Math.max(after, 0.2), 3) * 1000);
      response = await baseFetch(make());
    }
    return response;
  }

  return async (request: Request) => {
    const pair = options.store.get();
    const path = new URL(request.url, "http://x").pathname;
    const skipRefresh = skip.some((s) => path.endsWith(s));
    const pending = inFlight;
    if (pending && !skipRefresh) await pending;
    const sending = options.store.get() ?? pair;
    const used = options.store.get();
    let response = await sendWithRetry(() => withToken(request, sending));
    if (response.status !== 401 || skipRefresh || !used) return response;
    // A pair issued a moment ago can reach the API before the API has committed it; asking
    // again shortly is safer than a refresh, which would spend the new refresh token.
    for (let attempt = 0; attempt < 3 && used.obtainedAt && now() - used.obtainedAt < freshWindow; attempt++) {
      await sleep(250 * (attempt + 1));
      response = await sendWithRetry(() => withToken(request, used));
      if (response.status !== 401) return response;
    }
    const renewed = await refreshOnce(used);
    if (!renewed) return response;
    return sendWithRetry(() => withToken(request, renewed));
  };
}
