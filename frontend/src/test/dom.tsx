// Helpers for component tests under jsdom (files marked `// @vitest-environment jsdom`).
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntdApp, ConfigProvider } from "antd";

/** What antd asks of the browser that jsdom lacks. Call once, in beforeAll. */
export function shimDom(): void {
  Object.defineProperty(window, "matchMedia", {
    configurable: true,
    value: (query: string) => ({ matches: false, media: query, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, onchange: null, dispatchEvent: () => false }),
  });
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  const computed = window.getComputedStyle.bind(window);
  window.getComputedStyle = (elt: Element) => computed(elt);
}

/** Shows where the app navigated to, for tests of buttons that open another page. */
function Where() {
  const { pathname, search } = useLocation();
  return <div data-testid="location">{pathname + search}</div>;
}

/** The app's providers around `node`, rendered at `path` (matched by `route`). */
export function Providers({ children, path = "/", route }: { children: ReactNode; path?: string; route?: string }) {
  return (
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter initialEntries={[path]}>
        <ConfigProvider button={{ autoInsertSpace: false }}>
          <AntdApp>
            <Routes>
              <Route path={route ?? path.split("?")[0]} element={children} />
              <Route path="*" element={<Where />} />
            </Routes>
          </AntdApp>
        </ConfigProvider>
      </MemoryRouter>
    </QueryClientProvider>
  );
}
