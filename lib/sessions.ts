import { SESSION_ENDED, type TokenVerifier, type Viewer } from './auth.ts';
import type { ServiceConfig } from './config.ts';
import { graphQLError } from './errors.ts';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from './gateway-credential.ts';
import { logger } from './log.ts';

/**
 * Session liveness, at the gateway and at every subgraph alike (docs/security.md, "Sessions"). An
 * access token lives 15 minutes and says nothing of its session's end (logout, "end my other
 * sessions", a password change, a reused refresh token, the account deleted): only identity knows.
 * So each service asks about each session it sees at most once per `ttlMs` (and once for any number
 * of requests in flight), refuses a token of an ended session as it refuses an expired one, and
 * ends the open streams of a session within `ttlMs` of its end.
 */

/** Identity's answers, at this path, about the sessions of the tokens it is sent (`SessionStatusBatch`). */
export const SESSION_STATUSES_PATH = '/session-statuses';

/** The most tokens one question to identity carries: a larger batch is refused (413 `PAYLOAD_TOO_LARGE`). */
export const SESSION_STATUS_BATCH_MAX = 200;
/**
 * The most bytes such a question may have: 4 KB a token, where identity's access tokens take
 * under 1 KB (a token that large never verified, so it is never asked about).
 */
export const SESSION_STATUS_BATCH_BYTES = SESSION_STATUS_BATCH_MAX * 4_096;

/**
 * The question, `{ "authorizations": [...] }`: each caller's `Authorization` as it came; and the
 * answer, `{ "statuses": [...] }`, one per token in order. A token identity does not verify (it
 * expired on the way) gets `{ "live": null, "reason": "UNAUTHENTICATED" }`: the asker lets its own
 * expiry check speak.
 */
export interface SessionStatusBatch {
  authorizations: string[];
}
export type SessionStatusAnswer = SessionStatus | { live: null; reason: 'UNAUTHENTICATED' };

/** Why a session is no longer live: each is an error code (docs/errors.md). */
export const SESSION_END_CODES = ['SESSION_REVOKED', 'ACCOUNT_DELETED'] as const;
export type SessionEndCode = (typeof SESSION_END_CODES)[number];

export const SESSION_END_MESSAGES: Record<SessionEndCode, string> = {
  SESSION_REVOKED: SESSION_ENDED,
  ACCOUNT_DELETED: 'Учётная запись удалена.',
};

export type SessionStatus = { live: true } | { live: false; reason: SessionEndCode };

export const isSessionEndCode = (code: unknown): code is SessionEndCode => SESSION_END_CODES.includes(code as SessionEndCode);

/** What a token of an ended session gets, for a query (401 at the gateway) or a subscription. */
export const sessionEnded = (code: SessionEndCode) => graphQLError(code, SESSION_END_MESSAGES[code]);

/**
 * The WebSocket close of a stream whose session ended: 4401, which graphql-ws clients do not retry,
 * with the code first in the reason (`SESSION_REVOKED: Сеанс завершён. Войдите снова.`, within the
 * 123 bytes a reason may hold).
 */
export const SESSION_END_CLOSE_CODE = 4401;
export const sessionEndCloseReason = (code: SessionEndCode) => `${code}: ${SESSION_END_MESSAGES[code]}`;
/** The session end a close carries (a subgraph's, as the gateway hears it), or null. */
export function sessionEndOfClose(code: number, reason: string): SessionEndCode | null {
  const named = /^([A-Z_]+):/.exec(reason)?.[1];
  return code === SESSION_END_CLOSE_CODE && isSessionEndCode(named) ? named : null;
}

/** How long an answer about a session holds unless the configuration's `SESSION_CHECK_TTL_MS` says otherwise. */
export const SESSION_CHECK_TTL_MS = 5_000;

/** Whether the session of a verified token is live; null when it cannot be told now (identity down). */
export type SessionStatusSource = (viewer: Viewer, authorization: string) => Promise<SessionStatus | null>;

/** One entry of the answer as the asker reads it: an end it does not know is an end all the same. */
function readAnswer(answer: unknown): SessionStatus | null {
  const { live, reason } = (answer ?? {}) as { live?: unknown; reason?: unknown };
  if (live === true) return { live: true };
  if (live === false) return { live: false, reason: isSessionEndCode(reason) ? reason : 'SESSION_REVOKED' };
  // Not verified (the token expired on the way): its holder refreshes it or signs in again anyway.
  return null;
}

interface Question {
  authorization: string;
  answer(status: SessionStatus | null): void;
}

/**
 * Asks identity's `/session-statuses`, signed with the gateway's credential bound to the body
 * (identity answers only the gateway, and the subgraphs hold its secret). The questions asked
 * within `batchWindowMs` of each other go as one request, of at most SESSION_STATUS_BATCH_MAX
 * tokens: a stream renewal tick asks about every watched session at once, and identity answers a
 * batch with one statement. A failure is logged at most every 10 s and answers null for each of
 * its questions: the requests go on, on the tokens' signature and expiry alone — identity down must
 * not take the whole portal down with it, and sign-in itself is unavailable meanwhile anyway.
 */
export function identitySessionStatus({
  statusUrl,
  secret,
  timeoutMs = 2_000,
  batchWindowMs = 5,
  service,
}: {
  statusUrl: string;
  secret: string | null;
  timeoutMs?: number;
  batchWindowMs?: number;
  service: string;
}): SessionStatusSource {
  let lastLogged = 0;
  let waiting: Question[] = [];
  let timer: NodeJS.Timeout | null = null;

  const send = async (questions: Question[]) => {
    try {
      const body = JSON.stringify({ authorizations: questions.map((question) => question.authorization) } satisfies SessionStatusBatch);
      const credential = secret ? signGatewayCredential(secret, { subgraph: 'identity', use: 'session-statuses', body }) : null;
      const response = await fetch(statusUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(credential ? { [GATEWAY_CREDENTIAL_HEADER]: credential } : {}) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { statuses } = (await response.json()) as { statuses?: unknown };
      if (!Array.isArray(statuses) || statuses.length !== questions.length) throw new Error('an answer of another length');
      questions.forEach((question, i) => question.answer(readAnswer(statuses[i])));
    } catch (error) {
      if (Date.now() - lastLogged > 10_000) {
        lastLogged = Date.now();
        logger(service).error({ err: error }, 'session check failed, requests go on unchecked');
      }
      for (const question of questions) question.answer(null);
    }
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const questions = waiting;
    waiting = [];
    void send(questions);
  };

  return (_viewer, authorization) =>
    new Promise((answer) => {
      waiting.push({ authorization, answer });
      if (waiting.length >= SESSION_STATUS_BATCH_MAX) flush();
      else timer ??= setTimeout(flush, batchWindowMs);
    });
}

/** Identity's `/session-statuses` where the configuration's `IDENTITY_URL` puts identity, for a subgraph. */
export const identitySessionStatusOf = (config: Pick<ServiceConfig, 'identityUrl' | 'gatewaySecret'>, service: string): SessionStatusSource =>
  identitySessionStatus({ statusUrl: new URL(SESSION_STATUSES_PATH, config.identityUrl).href, secret: config.gatewaySecret, service });

/** How an open stream hears that its session ended; `watch` returns how to stop listening. */
export interface SessionWatch {
  watch(viewer: Viewer, authorization: string, onEnd: (code: SessionEndCode) => void): () => void;
}

interface Answer {
  status: Promise<SessionStatus | null>;
  askedAt: number;
  /** Undefined while identity has not answered. */
  settled: SessionStatus | null | undefined;
  /** A newer question about the session is on its way; this answer holds meanwhile. */
  renewing: boolean;
}

interface Watcher {
  viewer: Viewer;
  authorization: string;
  onEnd(code: SessionEndCode): void;
}

/**
 * One cache of identity's answers per process, by session, shared by its requests and its open
 * streams: a session costs one question per `ttlMs` however many requests and streams it has. While a
 * session has open streams, one timer for the whole process asks again before the answer runs
 * out, so a stream ends within `ttlMs` of its session's end even when no request comes; an answer
 * that the session ended, however it came, ends every stream of that session at once.
 */
export class LiveSessions implements SessionWatch {
  private readonly answers = new Map<string, Answer>();
  private readonly watched = new Map<string, Set<Watcher>>();
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | null = null;
  /** Sessions whose requests found their answer due for renewal, asked at the next tick (`renewSoon`). */
  private readonly dueRenewals = new Map<string, { viewer: Viewer; authorization: string }>();
  private renewalTimer: NodeJS.Timeout | null = null;
  private lastSweep = Date.now();

  constructor(
    private readonly source: SessionStatusSource,
    private readonly ttlMs = 5_000,
  ) {
    this.tickMs = Math.max(ttlMs / 10, 50);
  }

  /** `verify`, and then the token's session still live: a token of an ended session is refused with its code. */
  verifying(verify: TokenVerifier): TokenVerifier {
    return async (authorization) => {
      const viewer = await verify(authorization);
      if (!viewer?.sessionId || !authorization) return viewer;
      const status = await this.status(viewer, authorization);
      if (status && !status.live) throw sessionEnded(status.reason);
      return viewer;
    };
  }

  watch(viewer: Viewer, authorization: string, onEnd: (code: SessionEndCode) => void): () => void {
    const sessionId = viewer.sessionId;
    if (!sessionId) return () => {};
    const watcher: Watcher = { viewer, authorization, onEnd };
    const watchers = this.watched.get(sessionId) ?? new Set();
    watchers.add(watcher);
    this.watched.set(sessionId, watchers);
    this.timer ??= setInterval(() => this.renew(), this.tickMs).unref();
    // The end may have been heard between the stream's token check and now.
    const known = this.answers.get(sessionId)?.settled;
    if (known && !known.live) queueMicrotask(() => this.ended(sessionId, known.reason));
    return () => {
      const current = this.watched.get(sessionId);
      if (!current?.delete(watcher) || current.size) return;
      this.watched.delete(sessionId);
      this.stopWhenIdle();
    };
  }

  /** Sessions with open streams, for tests and metrics. */
  watchedSessions(): number {
    return this.watched.size;
  }

  private status(viewer: Viewer, authorization: string): Promise<SessionStatus | null> {
    const now = Date.now();
    if (now - this.lastSweep > 60_000) {
      this.lastSweep = now;
      for (const [key, answer] of this.answers) if (answer.askedAt + this.ttlMs <= now && !this.watched.has(key)) this.answers.delete(key);
    }
    const cached = this.answers.get(viewer.sessionId!);
    if (cached && cached.askedAt + this.ttlMs > now) {
      // Asked again shortly before it runs out, while it still holds: a busy session's requests
      // never wait for identity once it has answered.
      if (this.dueForRenewal(cached, now)) this.renewSoon(viewer, authorization);
      return cached.status;
    }
    return this.ask(viewer, authorization).status;
  }

  /**
   * An answer that will be older than `ttlMs` minus a tick by the next tick. Asked again then, a
   * stream hears of its session's end within `ttlMs`, identity's own time to answer included, at
   * about one question per session per `ttlMs`.
   */
  private dueForRenewal(answer: Answer, now: number): boolean {
    return answer.settled !== undefined && !answer.renewing && now - answer.askedAt >= this.ttlMs - 2 * this.tickMs;
  }

  private ask(viewer: Viewer, authorization: string): Answer {
    const sessionId = viewer.sessionId!;
    const now = Date.now();
    const answer: Answer = { status: this.source(viewer, authorization), askedAt: now, settled: undefined, renewing: false };
    const holding = this.answers.get(sessionId);
    const renewed = holding && holding.settled !== undefined && holding.askedAt + this.ttlMs > now ? holding : null;
    if (renewed) renewed.renewing = true;
    else this.answers.set(sessionId, answer);
    // A source that rejects (identity's own, reading its database) is a failed check too. The
    // request that asked still gets the rejection; a renewal nobody waits for must not leave it unhandled.
    const settle = (status: SessionStatus | null) => {
      answer.settled = status;
      if (renewed) renewed.renewing = false;
      const current = this.answers.get(sessionId);
      // A failed check is not remembered: the answer it was to renew holds, or the next request asks again.
      if (status === null) {
        if (current === answer) this.answers.delete(sessionId);
      } else if (!current || current === renewed || current.askedAt <= answer.askedAt) {
        this.answers.set(sessionId, answer);
      }
      if (status && !status.live) this.ended(sessionId, status.reason);
    };
    answer.status.then(settle, () => settle(null));
    return answer;
  }

  /**
   * Renews at the next tick, with every other session that came due meanwhile: requests spread
   * their sessions' renewals over time, and asked one by one (a 5 ms batch window catches one or
   * two) a thousand busy people cost identity ~200 requests a second from every service; gathered
   * for a tick (a tenth of the answer time), a few. The answer holds for two ticks more.
   */
  private renewSoon(viewer: Viewer, authorization: string): void {
    this.dueRenewals.set(viewer.sessionId!, { viewer, authorization });
    this.renewalTimer ??= setTimeout(() => {
      this.renewalTimer = null;
      const due = [...this.dueRenewals.values()];
      this.dueRenewals.clear();
      const now = Date.now();
      for (const { viewer: dueViewer, authorization: dueAuthorization } of due) {
        const answer = this.answers.get(dueViewer.sessionId!);
        if (!answer || this.dueForRenewal(answer, now) || answer.askedAt + this.ttlMs <= now) this.ask(dueViewer, dueAuthorization);
      }
    }, this.tickMs).unref();
  }

  /** Asks again about each session with streams, even when none of its requests comes. */
  private renew(): void {
    const now = Date.now();
    for (const [sessionId, watchers] of this.watched) {
      const answer = this.answers.get(sessionId);
      if (answer && !this.dueForRenewal(answer, now)) continue;
      let latest: Watcher | undefined;
      // The newest stream's token: an older one may have expired with its stream.
      for (const watcher of watchers) latest = watcher;
      this.ask(latest!.viewer, latest!.authorization);
    }
  }

  private ended(sessionId: string, code: SessionEndCode): void {
    const watchers = this.watched.get(sessionId);
    if (!watchers) return;
    this.watched.delete(sessionId);
    for (const watcher of watchers) watcher.onEnd(code);
    this.stopWhenIdle();
  }

  /** No session has streams: the timer stops (it starts again with the next stream). */
  private stopWhenIdle(): void {
    if (this.watched.size || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
  }
}
