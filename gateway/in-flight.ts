/**
 * Identical work in flight done once (docs/gateway.md): the gateway shares a subgraph fetch
 * (gateway/fetch-dedup.ts) and a whole operation (gateway/operation-dedup.ts) with an identical one
 * already running. The key, which says what "identical" is, is each caller's; what is never shared
 * whatever the key is here.
 */

export interface InFlightStats {
  /** Runs that went ahead (a fetch sent, an operation executed). */
  ran: number;
  /** Takers that waited for an identical run in flight instead of running themselves. */
  joined: number;
}

export interface InFlightSharing<T> {
  /**
   * `run()`'s answer; when a run of the same `key` is in flight, that one's answer instead
   * (`joined`), without calling `run`. Failures are shared the same way. Nothing is kept once a run
   * has answered: this is no cache, the next identical one runs again.
   */
  share(key: string, run: () => Promise<T>): Promise<{ value: T; joined: boolean }>;
  stats(): InFlightStats;
}

/**
 * Identical runs in flight at the same moment share one. Each taker gets its own `copy` of the
 * answer (the gateway merges into, or fills in, what it gets), except the last, which gets the
 * answer itself: a run nobody joined costs no copy.
 */
export function sharingInFlight<T>(copy: (value: T) => T): InFlightSharing<T> {
  const inFlight = new Map<string, { answer: Promise<T>; takers: number }>();
  const stats: InFlightStats = { ran: 0, joined: 0 };
  return {
    async share(key, run) {
      let entry = inFlight.get(key);
      const joined = entry !== undefined;
      if (entry) {
        entry.takers++;
        stats.joined++;
      } else {
        // Removed before any taker resumes: a run that starts after this answer goes again.
        entry = { answer: run().finally(() => inFlight.delete(key)), takers: 1 };
        inFlight.set(key, entry);
        stats.ran++;
      }
      const value = await entry.answer;
      return { value: --entry.takers === 0 ? value : copy(value), joined };
    },
    stats: () => ({ ...stats }),
  };
}

/** A GraphQL answer as far as a copy goes: a subgraph's response, or the gateway's result of an operation. */
interface GraphQLAnswer {
  data?: unknown;
  errors?: readonly unknown[];
  extensions?: unknown;
}

/**
 * A copy of an answer for one more taker: its data and extensions deep (the gateway merges later
 * fetches into data), its errors as the same objects in an array of its own — neither
 * @apollo/gateway nor Apollo Server changes an error (they build new ones from it), and a
 * GraphQLError would not survive `structuredClone` (its path and extensions are lost). The HTTP
 * response is not copied.
 */
export function copyAnswer<T extends GraphQLAnswer>({ data, errors, extensions }: T): T {
  return { ...(data !== undefined ? { data: structuredClone(data) } : {}), ...(errors ? { errors: [...errors] } : {}), ...(extensions ? { extensions: structuredClone(extensions) } : {}) } as T;
}

/**
 * Fields whose every call must answer anew: a suggested password (identity's `generatePassword`)
 * handed to two anonymous callers in flight at once would be known to both, and one of them may be
 * someone sending that request over and over to learn the passwords suggested to others.
 * Matched on the text: a mere mention (an alias, a comment) only goes unshared.
 */
const ANSWERED_ANEW = /\bgeneratePassword\b/;

/** Whether an operation's (or a subgraph query's) text asks for a field that must run on every call. */
export const asksForAFreshAnswer = (text: string): boolean => ANSWERED_ANEW.test(text);
