/** 代管: the holder the caller currently acts for (sent as X-Act-For), kept per browser tab. */
export interface ActingAs {
  holderId: number;
  holderName: string;
}

const KEY = "luoshi.actingAs";
const listeners = new Set<(value: ActingAs | null) => void>();

function storage(): Storage | null {
  return typeof sessionStorage === "undefined" ? null : sessionStorage;
}

export function getActingAs(): ActingAs | null {
  try {
    const raw = storage()?.getItem(KEY);
    return raw ? (JSON.parse(raw) as ActingAs) : null;
  } catch {
    return null;
  }
}

export function setActingAs(value: ActingAs | null): void {
  if (value) storage()?.setItem(KEY, JSON.stringify(value));
  else storage()?.removeItem(KEY);
  listeners.forEach((l) => l(value));
}

export function subscribeActingAs(listener: (value: ActingAs | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Headers every API call carries while acting for someone. */
export function actingHeaders(): Record<string, string> {
  const acting = getActingAs();
  return acting ? { "X-Act-For": String(acting.holderId) } : {};
}
