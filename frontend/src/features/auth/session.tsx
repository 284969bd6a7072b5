import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { $api, api, onSessionExpired, tokenStore } from "@/lib/http";
import { toTokenPair } from "@/lib/tokens";
import { setActingAs } from "@/lib/actingAs";
import type { components } from "@/api/schema";

export type Me = components["schemas"]["Me"];

interface SessionValue {
  signedIn: boolean;
  me: Me | undefined;
  loading: boolean;
  /** Why the last session ended, for the sign-in page. */
  endReason: "expired" | "signed_out" | null;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  can(permission: string): boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [signedIn, setSignedIn] = useState(() => tokenStore.get() !== null);
  const [endReason, setEndReason] = useState<"expired" | "signed_out" | null>(null);

  useEffect(() => tokenStore.subscribe((pair) => setSignedIn(pair !== null)), []);
  useEffect(
    () =>
      onSessionExpired(() => {
        setEndReason("expired");
        queryClient.clear();
      }),
    [queryClient],
  );

  const meQuery = $api.useQuery("get", "/api/v1/auth/me", {}, { enabled: signedIn, staleTime: 5 * 60_000 });

  const login = useCallback(
    async (username: string, password: string) => {
      const { data, error } = await api.POST("/api/v1/auth/login", { body: { username, password } });
      if (error || !data) throw error ?? new Error("登录失败");
      queryClient.clear();
      setEndReason(null);
      setActingAs(null);
      tokenStore.set(toTokenPair(data));
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    setEndReason("signed_out");
    try {
      await api.POST("/api/v1/auth/logout", { body: { scope: "current" } });
    } finally {
      setActingAs(null);
      tokenStore.set(null);
      queryClient.clear();
    }
  }, [queryClient]);

  const value = useMemo<SessionValue>(() => {
    const permissions = new Set<string>(meQuery.data?.permissions ?? []);
    return {
      signedIn,
      me: signedIn ? meQuery.data : undefined,
      loading: signedIn && meQuery.isPending,
      endReason,
      login,
      logout,
      can: (p) => permissions.has(p),
    };
  }, [signedIn, meQuery.data, meQuery.isPending, endReason, login, logout]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
