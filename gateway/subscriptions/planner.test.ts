import { describe, expect, it } from 'vitest';
import { Supergraph } from '@apollo/federation-internals';
import { readCommittedSupergraph } from '../../schema/compose.ts';
import { forApolloGateway } from '../authorization.ts';
import { parse } from '../../lib/live/graphql.ts';
import { SubscriptionPlanner } from './planner.ts';

/** The gateway's subscription planner over the committed supergraph. */
const sdl = forApolloGateway(readCommittedSupergraph());
const planner = new SubscriptionPlanner();
planner.update(sdl, Supergraph.build(sdl).apiSchema().toGraphQLJSSchema());

const plan = (query: string) => {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition')!;
  return planner.plan(document, operation as never);
};

describe('Planning a subscription', () => {
  it('subscribes on the owning subgraph to what it resolves, and fetches only the selected entity fields from the others', () => {
    const planned = plan('subscription { notificationAdded { node { title appeal { status } } } }');
    expect(planned.primary).toMatchObject({ kind: 'Fetch', serviceName: 'notifications', operationKind: 'subscription' });
    expect(planned.primary.operation).toBe('subscription{notificationAdded{node{title appeal{__typename id}}}}');
    expect(planned.entityServices).toEqual(['appeals']);
    const [primary, ...rest] = (planned.plan.node as { nodes: unknown[] }).nodes;
    expect(primary).toBe(planned.primary);
    expect(rest).toEqual([
      expect.objectContaining({
        kind: 'Flatten',
        path: ['notificationAdded', 'node', 'appeal'],
        node: expect.objectContaining({ serviceName: 'appeals', operation: expect.stringMatching(/_entities\(representations:\$representations\)\{\.\.\.on Appeal\{status\}\}/) }),
      }),
    ]);
  });

  it('needs no other subgraph when the owning one resolves the whole selection', () => {
    const planned = plan('subscription { unreadCountChanged { unreadCount unreadCountByCategory { category count } } }');
    expect(planned.entityServices).toEqual([]);
    expect((planned.plan.node as { nodes: unknown[] }).nodes).toEqual([planned.primary]);
  });

  it('keeps the operation’s variables for the subgraph, and caches plans by the operation’s text', () => {
    const query = 'subscription Feed($after: String) { notificationAdded(after: $after) { cursor } }';
    const planned = plan(query);
    expect(planned.primary.variableUsages).toEqual(['after']);
    expect(plan(query)).toBe(planned);
  });

  it('refuses an operation that is not a subscription', () => {
    expect(() => plan('{ me { id } }')).toThrow('Операция не является подпиской.');
  });
});

describe('Supergraph generations', () => {
  it('a new supergraph is a new generation; the one a stream holds keeps planning over its own supergraph', () => {
    const own = new SubscriptionPlanner();
    const schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
    expect(own.update(sdl, schema)).toBe(false); // the first load replaces nothing
    const held = own.schemas();
    const document = parse('subscription { unreadCountChanged { unreadCount } }');
    const operation = document.definitions[0] as never;
    const heldPlan = held.plan(document, operation);
    expect(own.update(sdl, schema)).toBe(false); // the same supergraph again: nothing changes
    expect(own.schemas()).toBe(held);

    expect(own.update(`${sdl}\n# another revision\n`, schema)).toBe(true);
    expect(own.schemas()).not.toBe(held);
    expect(own.schemas().hash).not.toBe(held.hash);
    expect(held.plan(document, operation)).toBe(heldPlan);
    expect(own.plan(document, operation)).not.toBe(heldPlan);
  });
});
