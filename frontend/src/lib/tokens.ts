/** Token pair kept in memory and mirrored to sessionStorage (survives reload, not a new tab). */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  /** Epoch milliseconds when this pair was received. */
  obtainedAt?: number;
}

export interface TokenStore {
  get(): TokenPair | null;
  set(pair: TokenPair | null): void;
  subscribe(listener: (pair: TokenPair | null) => void): () => void;
}

const STORAGE_KEY = "luoshi.session";

export function createTokenStore(storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null): TokenStore {
  let current: TokenPair | null = null;
  const listeners = new Set<(pair: TokenPair | null) => void>();
  if (storage) {
    try {
      const raw = storage.getItem(STORAGE_KEY);
      if (raw) current = JSON.parse(raw) as TokenPair;
    } catch {
      current = null;
    }
  }
  return {
    get: () => current,
    set(pair) {
      current = pair;
      if (storage) {
        if (pair) storage.setItem(STORAGE_KEY, JSON.stringify(pair));
        else storage.removeItem(STORAGE_KEY);
      }
      listeners.forEach((l) => l(pair));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Converts the API's login/refresh answer into what we keep. */
export function toTokenPair(
  body: { access_token: string; refresh_token: string; expires_in: number },
  now: number = Date.now(),
): TokenPair {
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresAt: now + body.expires_in * 1000,
    obtainedAt: now,
  };
}
