import type { ExecutionResult, OperationDefinitionNode } from 'graphql';
import type { UpstreamEvent, UpstreamFailure, UpstreamSink } from './upstream.ts';

/**
 * Identical subscriptions of one caller share one upstream subscription and one execution of each
 * event (docs/subscriptions.md, "Efficiency"): a person with the feed open in five tabs costs the
 * subgraph one stream and the gateway one plan run per event, not five. What is shared is keyed by
 * the caller's `Authorization`, the operation's text and name and its variables exactly, so callers
 * never share (the subgraphs apply each person's rights, and the results are personal). Each
 * subscriber still has its own stream: its own bounded queue and slow-consumer rule; one leaving
 * leaves the others running, and the last one leaving unsubscribes upstream.
 */

/** How a shared execution starts: its upstream subscription and the plan run of one event. */
export interface SharedSource {
  /** Runs the plan for one event; called once per event, whoever of the subscribers reads it first. */
  execute(event: UpstreamEvent): Promise<ExecutionResult>;
  /** Subscribes upstream; returns how to unsubscribe. */
  subscribe(sink: UpstreamSink): () => void;
}

/**
 * Whether the operation asks to replay from a cursor (`after:` on a root field, given and not null):
 * the owning subgraph replays what that subscriber missed, which a subscription already running has
 * sent to the others long ago, so such a subscription runs on its own.
 */
export function replays(operation: OperationDefinitionNode, variables: Record<string, unknown>): boolean {
  return operation.selectionSet.selections.some((selection) => {
    // A fragment at the root: not looked into, the subscription simply runs on its own.
    if (selection.kind !== 'Field') return true;
    const after = selection.arguments?.find((argument) => argument.name.value === 'after')?.value;
    if (!after || after.kind === 'NullValue') return false;
    return after.kind !== 'Variable' || variables[after.name.value] != null;
  });
}

/** What identical subscriptions have in common: the caller and the operation exactly. */
export const shareKey = (authorization: string, source: string, operationName: string | null, variables: Record<string, unknown>): string => JSON.stringify([authorization, operationName, source, variables]);

class SharedExecution {
  private readonly subscribers = new Set<UpstreamSink>();
  /** Each event's result, for the subscribers that have not read it yet: gone with the event once all have. */
  private readonly results = new WeakMap<UpstreamEvent, Promise<ExecutionResult>>();
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(
    readonly plan: object,
    private readonly source: SharedSource,
    /** Where others find it while it has subscribers: under `key` in `registry` (key null: never shared). */
    private readonly key: string | null,
    private readonly registry: Map<string, SharedExecution>,
  ) {}

  /** The event's result: executed by the first subscriber that reads it, the same for the others. */
  readonly run = (event: UpstreamEvent): Promise<ExecutionResult> => {
    let result = this.results.get(event);
    if (!result) {
      result = this.source.execute(event);
      this.results.set(event, result);
    }
    return result;
  };

  get open(): boolean {
    return !this.closed;
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Adds a subscriber (the first one subscribes upstream); returns how it leaves. */
  add(subscriber: UpstreamSink): () => void {
    this.subscribers.add(subscriber);
    if (this.subscribers.size === 1) {
      if (this.key !== null) this.registry.set(this.key, this);
      try {
        const unsubscribe = this.source.subscribe({
          next: (event) => {
            for (const each of [...this.subscribers]) each.next(event);
          },
          error: (failure: UpstreamFailure) => this.ended((each) => each.error(failure)),
          complete: () => this.ended((each) => each.complete()),
        });
        if (this.closed) unsubscribe();
        else this.unsubscribe = unsubscribe;
      } catch (error) {
        this.subscribers.delete(subscriber);
        this.close();
        throw error;
      }
    }
    return () => {
      if (this.subscribers.delete(subscriber) && !this.subscribers.size) this.close();
    };
  }

  /** The upstream subscription ended: every subscriber hears it, and nobody joins any more. */
  private ended(tell: (subscriber: UpstreamSink) => void): void {
    this.unsubscribe = null;
    this.close();
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    subscribers.forEach(tell);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.key !== null && this.registry.get(this.key) === this) this.registry.delete(this.key);
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    unsubscribe?.();
  }
}

export class SharedExecutions {
  private readonly running = new Map<string, SharedExecution>();

  /**
   * The execution a subscription runs on: the running one of the same `key` and plan, or a new one
   * from `source()`. `key` null: never shared. `run` executes an event for the subscriber's stream;
   * `add` subscribes the stream and returns how it leaves.
   */
  join(key: string | null, plan: object, source: () => SharedSource): { run: (event: UpstreamEvent) => Promise<ExecutionResult>; add(subscriber: UpstreamSink): () => void } {
    const running = key === null ? undefined : this.running.get(key);
    // A subscription planned over another supergraph starts afresh; the old one runs on for its subscribers.
    if (running?.open && running.plan === plan) return running;
    return new SharedExecution(plan, source(), key, this.running);
  }

  /** Shared executions running and the subscribers on them (for tests and metrics). */
  stats(): { shared: number; subscribers: number } {
    let subscribers = 0;
    for (const execution of this.running.values()) subscribers += execution.size;
    return { shared: this.running.size, subscribers };
  }
}
