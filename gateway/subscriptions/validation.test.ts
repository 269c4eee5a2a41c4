import { buildSchema } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { preparer, sharingPreparedDocuments } from './validation.ts';

const schema = buildSchema('type Query { a: Int } type Subscription { ticks: Int }');

describe('sharingPreparedDocuments', () => {
  it('parses and validates a text once, and gives every subscription of it the same document', () => {
    const inner = vi.fn(preparer());
    const prepare = sharingPreparedDocuments(inner);
    const first = prepare(schema, 'subscription { ticks }');
    const second = prepare(schema, 'subscription { ticks }');
    expect(first.document).toBeDefined();
    expect(second.document).toBe(first.document);
    expect(inner).toHaveBeenCalledTimes(1);
  });

  it('keeps no refusal, keeps schemas apart, and forgets the least recently used text past its size', () => {
    const inner = vi.fn(preparer());
    const prepare = sharingPreparedDocuments(inner, 2);
    expect(prepare(schema, 'subscription { nope }').errors).toHaveLength(1);
    prepare(schema, 'subscription { nope }');
    expect(inner).toHaveBeenCalledTimes(2);

    const other = buildSchema('type Query { a: Int } type Subscription { ticks: Int }');
    prepare(schema, 'subscription { ticks }');
    prepare(other, 'subscription { ticks }');
    expect(inner).toHaveBeenCalledTimes(4);

    prepare(schema, 'subscription A { ticks }');
    prepare(schema, 'subscription { ticks }'); // used again: the newest
    prepare(schema, 'subscription B { ticks }'); // A goes
    inner.mockClear();
    prepare(schema, 'subscription { ticks }');
    prepare(schema, 'subscription A { ticks }');
    expect(inner.mock.calls.map(([, text]) => text)).toEqual(['subscription A { ticks }']);
  });
});
