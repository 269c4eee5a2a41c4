/**
 * The signed-in session: the access token in memory, the refresh token in sessionStorage (a reload
 * of the tab stays signed in, a closed tab does not). `refresh` rotates both through
 * `refreshSession`, once however many callers ask at the same moment, and a minute before the
 * access token expires, so requests and live streams always have a live token.
 */
export interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

const STORED = 'cabinet.refreshToken';
const EARLY_MS = 60_000;

type Refresher = (refreshToken: string) => Promise<Tokens | null>;

let current: Tokens | null = null;
let refreshing: Promise<string | null> | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let refresher: Refresher = async () => null;
const listeners = new Set<() => void>();

function changed(next: Tokens | null): void {
  current = next;
  clearTimeout(timer);
  if (next) {
    sessionStorage.setItem(STORED, next.refreshToken);
    const wait = Math.max(Date.parse(next.accessTokenExpiresAt) - Date.now() - EARLY_MS, 5_000);
    timer = setTimeout(() => void refresh(), wait);
  } else {
    sessionStorage.removeItem(STORED);
  }
  listeners.forEach((listener) => listener());
}

export const session = {
  accessToken: (): string | null => current?.accessToken ?? null,
  signedIn: (): boolean => current !== null,
  /** Whether a refresh token from before a reload is waiting to be used. */
  resumable: (): boolean => sessionStorage.getItem(STORED) !== null,
  start: (tokens: Tokens) => changed(tokens),
  end: () => changed(null),
  onChange(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** How tokens are refreshed (web/src/api/client.ts, through the graph). */
  useRefresher(next: Refresher): void {
    refresher = next;
  },
};

/** A new access token, or null when the session is over (then the person signs in again). */
export function refresh(): Promise<string | null> {
  const refreshToken = current?.refreshToken ?? sessionStorage.getItem(STORED);
  if (!refreshToken) return Promise.resolve(null);
  return (refreshing ??= refresher(refreshToken)
    .then(
      (tokens) => {
        changed(tokens);
        return tokens?.accessToken ?? null;
      },
      () => current?.accessToken ?? null,
    )
    .finally(() => {
      refreshing = null;
    }));
}
