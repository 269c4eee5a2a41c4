import type { ExecutionResult } from 'graphql';
import { maskedError } from '../errors.ts';
import { logger } from '../log.ts';
import { GraphQLError } from './graphql.ts';

/**
 * A bounded queue of events for one subscription, read as an async iterator: back-pressure for
 * every live stream. `push` never waits: when `limit` events are already waiting, the queue ends
 * and calls `onOverflow` (the slow consumer's connection ends). `return()` ends it at once, even
 * while a `next()` waits; `finish()` lets what is queued be read first; `onEnd` runs once, however
 * it ends, so the producer can let go.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private reader: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  private roomWaiters: (() => void)[] = [];
  private failure: { error: unknown } | null = null;
  /** No more items will come: what is queued is still read. */
  private finishing = false;
  private ended = false;

  constructor(private readonly options: { limit: number; onOverflow: () => void; onEnd?: () => void }) {}

  get done(): boolean {
    return this.ended;
  }

  /** Adds an event; false when the queue has ended (or has just overflowed and ended). */
  push(item: T): boolean {
    if (this.ended || this.finishing) return false;
    if (this.reader) {
      const { resolve } = this.reader;
      this.reader = null;
      resolve({ done: false, value: item });
      return true;
    }
    if (this.items.length >= this.options.limit) {
      this.end();
      this.options.onOverflow();
      return false;
    }
    this.items.push(item);
    return true;
  }

  /** Resolves once `count` more events fit (or the queue ended): for a producer that can wait, such as a replay. */
  async roomFor(count: number): Promise<void> {
    while (!this.ended && this.items.length + count > this.options.limit) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** No more events: what is queued is still read, then the queue ends. */
  finish(): void {
    if (this.ended) return;
    this.finishing = true;
    if (!this.items.length) this.end();
  }

  /** Ends the stream: the reader gets `error` once what is queued has been dropped. */
  fail(error: unknown): void {
    if (this.ended) return;
    if (this.reader) {
      const { reject } = this.reader;
      this.reader = null;
      this.end();
      reject(error);
      return;
    }
    this.failure = { error };
    this.end();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) {
      const value = this.items.shift() as T;
      this.roomWaiters.splice(0).forEach((resolve) => resolve());
      if (this.finishing && !this.items.length) this.end();
      return Promise.resolve({ done: false, value });
    }
    if (this.failure) {
      const { error } = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.reader = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.items.length = 0;
    this.roomWaiters.splice(0).forEach((resolve) => resolve());
    if (this.reader) {
      const { resolve } = this.reader;
      this.reader = null;
      resolve({ done: true, value: undefined });
    }
    this.options.onEnd?.();
  }
}

/**
 * An error as a client may see it, the same on every transport and at every service: a subgraph's
 * (`serviceName`) and our own coded errors as they are, whichever graphql copy made them; anything
 * else logged and masked (lib/errors.ts, `maskedError`: SERVICE_UNAVAILABLE for an outage,
 * INTERNAL_SERVER_ERROR for a bug).
 */
export function clientError(error: unknown, service: string): GraphQLError {
  const { extensions, path, originalError } = (error ?? {}) as Partial<Pick<GraphQLError, 'extensions' | 'path' | 'originalError'>>;
  if (extensions?.serviceName || (typeof extensions?.code === 'string' && extensions.code !== 'INTERNAL_SERVER_ERROR')) return error as GraphQLError;
  const masked = maskedError(originalError ?? error);
  logger(service).error({ err: masked.cause }, 'a subscription failed, masked for the client');
  return new GraphQLError(masked.message, { path: path ?? undefined, extensions: masked.extensions });
}

/** A result with its errors as the client may see them (`clientError`). */
export function maskResult<T extends ExecutionResult>(result: T, service: string): T {
  return result.errors?.length ? { ...result, errors: result.errors.map((error) => clientError(error, service)) } : result;
}

/** What reaches a stream from its source: an event to run, or the errors that end it (a refusal upstream). */
export type StreamItem<In> = { kind: 'event'; payload: In } | { kind: 'errors'; errors: readonly GraphQLError[] };

/**
 * The stream of one subscription whose events are worked on as the transport reads them (the
 * gateway's: an upstream event through the subscription's plan): items wait in an EventQueue and
 * `run` one at a time, in order, each result masked (`maskResult`). `return()` ends it at once,
 * even while a `next()` waits, and lets go of the source; a queue that overflows calls `onOverflow`
 * (the connection ends as a slow consumer).
 */
export class LiveStream<In> implements AsyncGenerator<ExecutionResult, void, undefined> {
  private readonly queue: EventQueue<StreamItem<In>>;
  private unsubscribe: (() => void) | null = null;
  private ended = false;

  constructor(
    private readonly run: (payload: In) => Promise<ExecutionResult>,
    private readonly options: { limit: number; onOverflow(): void; onEnd(): void; service?: string },
  ) {
    this.queue = new EventQueue<StreamItem<In>>({ limit: options.limit, onOverflow: options.onOverflow, onEnd: () => this.end() });
  }

  /** Starts the source; `subscribe` returns how to stop it. */
  start(subscribe: (stream: LiveStream<In>) => () => void): void {
    const unsubscribe = subscribe(this);
    if (this.ended) unsubscribe();
    else this.unsubscribe = unsubscribe;
  }

  /** An event of the source, or its refusal. */
  push(item: StreamItem<In>): void {
    this.queue.push(item);
  }

  /** The source completed: what is queued is still sent, then the stream ends. */
  finish(): void {
    if (this.ended) return;
    this.unsubscribe = null;
    this.queue.finish();
  }

  /** Ends the stream now, dropping what is queued, and lets go of the source. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    void this.queue.return();
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    unsubscribe?.();
    this.options.onEnd();
  }

  async next(): Promise<IteratorResult<ExecutionResult, void>> {
    const step = await this.queue.next();
    if (step.done) {
      this.end();
      return { done: true, value: undefined };
    }
    const item = step.value;
    // A refusal is the last result.
    if (item.kind === 'errors') {
      this.finish();
      return { done: false, value: { errors: item.errors } };
    }
    return { done: false, value: maskResult(await this.run(item.payload), this.options.service ?? 'gateway') };
  }

  async return(): Promise<IteratorResult<ExecutionResult, void>> {
    this.end();
    return { done: true, value: undefined };
  }

  async throw(): Promise<IteratorResult<ExecutionResult, void>> {
    this.end();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
