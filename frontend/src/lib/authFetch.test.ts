import { describe, expect, it, vi } from "vitest";
import { createAuthFetch } from "./authFetch";
import { createTokenStore, toTokenPair, type TokenPair } from "./tokens";

const pair = (n: number): TokenPair => ({ accessToken: `a${n}`, refreshToken: `r${n}`, expiresAt: 0 });

function server(validToken: string) {
  const seen: { auth: string | null; body: string }[] = [];
  const fetch = vi.fn(async (req: Request) => {
    const auth = req.headers.get("Authorization");
    seen.push({ auth, body: await req.text() });
    return new Response(null, { status: auth === `Bearer ${validToken}` ? 200 : 401 });
  });
  return { fetch, seen };
}

describe("createAuthFetch", () => {
  it("adds the bearer token", async () => {
    const store = createTokenStore(null);
    store.set(pair(1));
    const { fetch, seen } = server("a1");
    const f = createAuthFetch({ store, refresh: vi.fn(), onExpired: vi.fn(), baseFetch: fetch });
    const res = await f(new Request("http://h/api/v1/tasks"));
    expect(res.status).toBe(200);
    expect(seen[0].auth).toBe("Bearer a1");
  });

  it("adds extra headers such as X-Act-For", async () => {
    const store = createTokenStore(null);
    store.set(pair(1));
    let seen: string | null = null;
    const fetch = vi.fn(async (req: Request) => {
      seen = req.headers.get("X-Act-For");
      return new Response(null, { status: 200 });
    });
    const f = createAuthFetch({ store, refresh: vi.fn(), onExpired: vi.fn(), baseFetch: fetch, headers: () => ({ "X-Act-For": "42" }) });
    await f(new Request("http://h/api/v1/todo"));
    expect(seen).toBe("42");
  });

  it("refreshes once on 401 and retries with the body intact", async () => {
    const store = createTokenStore(null);
    store.set(pair(1));
    const { fetch, seen } = server("a2");
    const refresh = vi.fn(async () => pair(2));
    const f = createAuthFetch({ store, refresh, onExpired: vi.fn(), baseFetch: fetch });
    const res = await f(new Request("http://h/api/v1/tasks", { method: "POST", body: '{"x":1}' }));
    expect(res.status).toBe(200);
    expect(refresh).toHaveBeenCalledWith("r1");
    expect(seen.map((s) => s.auth)).toEqual(["Bearer a1", "Bearer a2"]);
    expect(seen[1].body).toBe('{"x":1}');
    expect(store.get()?.refreshToken).toBe("r2");
  });

  it("shares one refresh between parallel 401s (rotating tokens must not be reused)", async () => {
    const store = createTokenStore(null);
    store.set(pair(1));
    const { fetch } = server("a2");
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const refresh = vi.fn(async () => {
      await gate;
      return pair(2);
    });
    const f = createAuthFetch({ store, refresh, onExpired: vi.fn(), baseFetch: fetch });
    const all = Promise.all([1, 2, 3].map(() => f(new Request("http://h/api/v1/todo"))));
    await new Promise((r) => setTimeout(r, 10));
    release();
    const results = await all;
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("asks again instead of refreshing when a just-issued token is not yet known", async () => {
    const store = createTokenStore(null);
    store.set({ ...pair(1), obtainedAt: 1000 });
    let calls = 0;
    const fetch = vi.fn(async () => new Response(null, { status: ++calls < 3 ? 401 : 200 }));
    const refresh = vi.fn();
    const f = createAuthFetch({ store, refresh, onExpired: vi.fn(), baseFetch: fetch, now: () => 1500, sleep: async () => {} });
    const res = await f(new Request("http://h/api/v1/auth/me"));
    expect(res.status).toBe(200);
    expect(refresh).not.toHaveBeenCalled();
  });

  it("sends again after a 503 with Retry-After (the API rolled back)", async () => {
    const store = createTokenStore(null);
    store.set(pair(1));
    let calls = 0;
    const bodies: string[] = [];
    const fetch = vi.fn(async (req: Request) => {
      bodies.push(await req.text());
      return ++calls === 1
        ? new Response(null, { status: 503, headers: { "Retry-After": "1" } })
        : new Response(null, { status: 200 });
    });
    const sleep = vi.fn(async () => {});
    const f = createAuthFetch({ store, refresh: vi.fn(), onExpired: vi.fn(), baseFetch: fetch, sleep });
    const res = await f(new Request("http://h/api/v1/reports/1/submit", { method: "POST", body: "{}" }));
    expect(res.status).toBe(200);
    expect(sleep).toHaveBeenCalledWith(1000);
    expect(bodies).toEqual(["{}", "{}"]);
  });

  it("ends the session when the refresh is refused", async () => {
    const store = createTokenStore(null);
    store.set(pair(1));
    const { fetch } = server("never");
    const onExpired = vi.fn();
    const f = createAuthFetch({ store, refresh: async () => null, onExpired, baseFetch: fetch });
    const res = await f(new Request("http://h/api/v1/auth/me"));
    expect(res.status).toBe(401);
    expect(onExpired).toHaveBeenCalledTimes(1);
    expect(store.get()).toBeNull();
  });

  it("never refreshes for the login call itself", async () => {
    const store = createTokenStore(null);
    const { fetch } = server("x");
    const refresh = vi.fn();
    const f = createAuthFetch({ store, refresh, onExpired: vi.fn(), baseFetch: fetch });
    const res = await f(new Request("http://h/api/v1/auth/login", { method: "POST", body: "{}" }));
    expect(res.status).toBe(401);
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe("token store", () => {
  it("persists to storage and restores", () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
    const a = createTokenStore(storage);
    a.set(toTokenPair({ access_token: "x", refresh_token: "y", expires_in: 900 }, 1000));
    const b = createTokenStore(storage);
    expect(b.get()).toEqual({ accessToken: "x", refreshToken: "y", expiresAt: 901000, obtainedAt: 1000 });
    b.set(null);
    expect(createTokenStore(storage).get()).toBeNull();
  });
});
