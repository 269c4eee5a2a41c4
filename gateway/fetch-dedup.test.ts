import { describe, expect, it } from 'vitest';
import { collapseRepresentations, fetchKey, isShareable, spreadEntities, type SubgraphAnswer } from './fetch-dedup.ts';

const appeal = (id: string) => ({ __typename: 'Appeal', id });

describe('collapseRepresentations', () => {
  it('keeps each distinct representation once, in order of first appearance, and where each position points', () => {
    expect(collapseRepresentations([appeal('a'), appeal('b'), appeal('a'), appeal('a'), appeal('c'), appeal('b')])).toEqual({
      unique: [appeal('a'), appeal('b'), appeal('c')],
      positions: [0, 1, 0, 0, 2, 1],
    });
  });

  it('leaves a fetch without repeats as it is', () => {
    expect(collapseRepresentations([appeal('a'), appeal('b')])).toBeNull();
    expect(collapseRepresentations([appeal('a')])).toBeNull();
    expect(collapseRepresentations(undefined)).toBeNull();
  });

  it('tells apart representations of different types or different required fields', () => {
    const representations = [appeal('a'), { __typename: 'User', id: 'a' }, { ...appeal('a'), status: 'REGISTERED' }, appeal('a')];
    expect(collapseRepresentations(representations)?.positions).toEqual([0, 1, 2, 0]);
  });
});

describe('spreadEntities', () => {
  const collapsed = collapseRepresentations([appeal('a'), appeal('b'), appeal('a')])!;

  it('gives every original position the entity of its representation, each its own object', () => {
    const answer = spreadEntities({ data: { _entities: [{ status: 'REGISTERED' }, { status: 'ANSWERED' }] } }, collapsed);
    expect(answer).toEqual({ data: { _entities: [{ status: 'REGISTERED' }, { status: 'ANSWERED' }, { status: 'REGISTERED' }] } });
    const entities = answer.data!._entities as object[];
    expect(entities[2]).not.toBe(entities[0]);
  });

  it('repeats an error at _entities.N at every position that carried representation N, and keeps other errors', () => {
    const answer: SubgraphAnswer = {
      data: { _entities: [null, { status: 'ANSWERED' }] },
      errors: [{ message: 'Нет доступа', path: ['_entities', 0, 'status'], extensions: { code: 'FORBIDDEN' } }, { message: 'Что-то ещё' }],
    };
    expect(spreadEntities(answer, collapsed)).toEqual({
      data: { _entities: [null, { status: 'ANSWERED' }, null] },
      errors: [
        { message: 'Нет доступа', path: ['_entities', 0, 'status'], extensions: { code: 'FORBIDDEN' } },
        { message: 'Нет доступа', path: ['_entities', 2, 'status'], extensions: { code: 'FORBIDDEN' } },
        { message: 'Что-то ещё' },
      ],
    });
  });

  it('leaves an answer of the wrong length or without data for the gateway to refuse as it would', () => {
    const short = { data: { _entities: [{ status: 'REGISTERED' }] } };
    expect(spreadEntities(short, collapsed)).toBe(short);
    const failed = { errors: [{ message: 'Сервис недоступен' }] };
    expect(spreadEntities(failed, collapsed)).toBe(failed);
  });
});

describe('isShareable and fetchKey', () => {
  it('shares queries as Apollo plans them, never mutations', () => {
    expect(isShareable('{me{id}}')).toBe(true);
    expect(isShareable('query($representations:[_Any!]!){_entities(representations:$representations){...on Appeal{status}}}')).toBe(true);
    expect(isShareable('query Dashboard__notifications__1{me{id}}')).toBe(true);
    expect(isShareable('mutation{markNotificationsRead(input:{ids:[]}){__typename}}')).toBe(false);
    expect(isShareable('subscription{notificationAdded{cursor}}')).toBe(false);
    // A suggested password is made afresh for each caller, however many ask at once.
    expect(isShareable('{generatePassword}')).toBe(false);
  });

  it('keys on the subgraph, the caller, the operation and its variables', () => {
    const key = fetchKey('appeals', 'Bearer one', '{a}', { x: 1 });
    expect(fetchKey('appeals', 'Bearer one', '{a}', { x: 1 })).toBe(key);
    expect(
      new Set([
        key,
        fetchKey('profile', 'Bearer one', '{a}', { x: 1 }),
        fetchKey('appeals', 'Bearer two', '{a}', { x: 1 }),
        fetchKey('appeals', undefined, '{a}', { x: 1 }),
        fetchKey('appeals', 'Bearer one', '{b}', { x: 1 }),
        fetchKey('appeals', 'Bearer one', '{a}', { x: 2 }),
      ]).size,
    ).toBe(6);
  });
});
