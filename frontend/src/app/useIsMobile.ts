import { Grid } from "antd";

/** True below antd's `md` breakpoint (phones, ~390px wide). */
export function useIsMobile(): boolean {
  const screens = Grid.useBreakpoint();
  return screens.md === false;
}
