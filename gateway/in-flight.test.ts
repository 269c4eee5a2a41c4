import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { pendingRun } from '../test/pending.ts';
import { asksForAFreshAnswer, copyAnswer, sharingInFlight } from './in-flight.ts';

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: readonly unknown[];
}

describe('sharingInFlight', () => {
  it('runs identical work in flight once and gives each taker its own copy', async () => {
    const shared = sharingInFlight<Answer>(copyAnswer);
    const upstream = pendingRun<Answer>();
    const takers = [shared.share('k', upstream.run), shared.share('k', upstream.run), shared.share('k', upstream.run)];
    upstream.resolve({ data: { me: { id: '1' } } });
    const answers = await Promise.all(takers);
    expect(upstream.calls()).toBe(1);
    expect(answers.map(({ value, joined }) => ({ value, joined }))).toEqual([
      { value: { data: { me: { id: '1' } } }, joined: false },
      { value: { data: { me: { id: '1' } } }, joined: true },
      { value: { data: { me: { id: '1' } } }, joined: true },
    ]);
    expect(new Set(answers.map(({ value }) => value.data!.me)).size).toBe(3);
    expect(shared.stats()).toEqual({ ran: 1, joined: 2 });
  });

  it('gives a run nobody joined its answer itself', async () => {
    const shared = sharingInFlight<Answer>(copyAnswer);
    const answer = { data: { me: null } };
    expect((await shared.share('k', async () => answer)).value).toBe(answer);
  });

  it('runs work of different keys each, and runs again once the answer came', async () => {
    const shared = sharingInFlight<Answer>(copyAnswer);
    const upstream = pendingRun<Answer>();
    const first = shared.share('k', upstream.run);
    const other = shared.share('other', async () => ({ data: { other: true } }));
    upstream.resolve({ data: {} });
    await Promise.all([first, other]);
    await shared.share('k', async () => ({ data: {} }));
    expect(shared.stats()).toEqual({ ran: 3, joined: 0 });
  });

  it('shares a failure with every taker, and forgets it', async () => {
    const shared = sharingInFlight<Answer>(copyAnswer);
    const upstream = pendingRun<Answer>();
    const takers = [shared.share('k', upstream.run), shared.share('k', upstream.run)];
    upstream.reject(new Error('subgraph down'));
    expect(await Promise.allSettled(takers)).toEqual([
      { status: 'rejected', reason: new Error('subgraph down') },
      { status: 'rejected', reason: new Error('subgraph down') },
    ]);
    expect((await shared.share('k', async () => ({ data: { back: true } }))).value).toEqual({ data: { back: true } });
  });
});

describe('copyAnswer', () => {
  it('copies data and extensions deep, not the HTTP response', () => {
    const answer = { data: { me: { id: '1' } }, errors: [{ message: 'x' }], extensions: { e: { n: 1 } }, http: { headers: new Headers() } };
    const copy = copyAnswer(answer);
    expect(copy).toEqual({ data: { me: { id: '1' } }, errors: [{ message: 'x' }], extensions: { e: { n: 1 } } });
    expect([copy.data.me === answer.data.me, copy.extensions.e === answer.extensions.e, copy.errors === answer.errors]).toEqual([false, false, false]);
  });

  it('keeps a GraphQLError whole: its path and code reach the client as they would without sharing', () => {
    const refused = new GraphQLError('Нет доступа', { path: ['me', 'profile'], extensions: { code: 'FORBIDDEN' } });
    const [error] = copyAnswer({ data: { me: { profile: null } }, errors: [refused] }).errors!;
    expect(error).toBe(refused);
    expect((error as GraphQLError).toJSON()).toEqual({ message: 'Нет доступа', path: ['me', 'profile'], extensions: { code: 'FORBIDDEN' } });
  });
});

describe('asksForAFreshAnswer', () => {
  it('holds for an operation that asks for a suggested password, however it is written', () => {
    expect(['{ generatePassword }', 'query Registration { suggested: generatePassword }', 'query { ...F } fragment F on Query { generatePassword }'].map(asksForAFreshAnswer)).toEqual([true, true, true]);
    expect(['{ me { id } }', 'query { topics { id } }', '{ generatePasswords }'].map(asksForAFreshAnswer)).toEqual([false, false, false]);
  });
});
