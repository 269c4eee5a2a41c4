/**
 * A request's deadline, carried from the gateway to the subgraph that does the work. The gateway
 * gives up on a subgraph after its timeout and tells the client SUBGRAPH_UNAVAILABLE («retry»); a
 * subgraph still waiting then (for a database that is restarting, for a lock) must not commit the
 * request later, or the client's retry makes a second appeal. So the gateway sends how long it
 * will wait, like gRPC's `grpc-timeout`, and a transaction of the request that is done after that
 * rolls back (`requestDatabase`, lib/db.ts). Milliseconds from receipt, not a clock time: the two
 * machines' clocks need not agree.
 */
export const DEADLINE_HEADER = 'x-request-timeout-ms';

/** Longest wait a header may ask for: a larger or malformed value is ignored (no deadline). */
const MAX_TIMEOUT_MS = 10 * 60_000;

/** The deadline a header's value sets from now (ms since the epoch), or null for none or a malformed one. */
export function deadlineFrom(value: string | string[] | undefined, now = Date.now()): number | null {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,8}$/.test(value)) return null;
  const ms = Number(value);
  return ms <= MAX_TIMEOUT_MS ? now + ms : null;
}

/** Thrown where a request's work would be kept although its caller has given up on it. */
export class DeadlinePassedError extends Error {
  override name = 'DeadlinePassedError';
  /** lib/errors.ts connectionFailure: the client hears SERVICE_UNAVAILABLE (retry), as the gateway told it already. */
  readonly code = 'DEADLINE_PASSED';
}

/** Throws when `deadline` has passed. */
export function assertBeforeDeadline(deadline: number, now = Date.now()): void {
  if (now >= deadline) throw new DeadlinePassedError('the caller stopped waiting for this request');
}
