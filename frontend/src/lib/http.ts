import createClient from "openapi-fetch";
import createQueryHooks from "openapi-react-query";
import type { paths } from "@/api/schema";
import { createAuthFetch } from "./authFetch";
import { createTokenStore, toTokenPair } from "./tokens";
import { actingHeaders } from "./actingAs";

/**
 * Where the API lives. Empty means same origin (the backend serves this SPA); set
 * VITE_API_BASE_URL at build time to deploy the SPA on its own host (the API allows CORS).
 */
export const apiBaseUrl = ((import.meta.env.VITE_API_BASE_URL as string | undefined) ?? "").replace(/\/$/, "");

export const tokenStore = createTokenStore(typeof sessionStorage === "undefined" ? null : sessionStorage);

type ExpiredListener = () => void;
const expiredListeners = new Set<ExpiredListener>();
/** Subscribes to "the session could not be renewed" (refresh token expired or reused). */
export function onSessionExpired(listener: ExpiredListener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

// The auth calls themselves go through a client without the refresh wrapper.
const authClient = createClient<paths>({ baseUrl: apiBaseUrl });

export const api = createClient<paths>({
  baseUrl: apiBaseUrl,
  fetch: createAuthFetch({
    store: tokenStore,
    async refresh(refreshToken) {
      const { data } = await authClient.POST("/api/v1/auth/refresh", { body: { refresh_token: refreshToken } });
      return data ? toTokenPair(data) : null;
    },
    onExpired: () => expiredListeners.forEach((l) => l()),
    headers: actingHeaders,
  }),
});

/** TanStack Query hooks typed by the generated schema: `$api.useQuery("get", "/api/v1/...")`. */
export const $api = createQueryHooks(api);
