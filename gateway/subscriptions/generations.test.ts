import { describe, expect, it } from 'vitest';
import { Supergraph } from '@apollo/federation-internals';
import { UnsecuredJWT } from 'jose';
import { LiveConnections } from '../../lib/live/connection.ts';
import { LIVE_ENDS } from '../../lib/live/ends.ts';
import { readCommittedSupergraph } from '../../schema/compose.ts';
import { forApolloGateway } from '../authorization.ts';
import { FederatedSubscriptions, type GatewayCaller } from './execute.ts';
import { parse } from '../../lib/live/graphql.ts';
import { SubscriptionPlanner } from './planner.ts';
import { UpstreamPool } from './upstream.ts';

/** A subscription is planned and executed over the supergraph it was validated with, or not at all. */
const sdl = forApolloGateway(readCommittedSupergraph());
const schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();

describe('A subscription and the supergraph it was validated with', () => {
  it('is refused with SCHEMA_CHANGED when the gateway replaced that supergraph before it started', () => {
    const planner = new SubscriptionPlanner();
    planner.update(sdl, schema);
    const validatedWith = planner.schemas();
    planner.update(`${sdl}\n# the next revision\n`, schema);

    const subscriptions = new FederatedSubscriptions({
      planner,
      // Never reached: the refusal comes before anything is subscribed or fetched.
      upstream: new UpstreamPool({ urls: {} }),
      dataSource: (name) => {
        throw new Error(`no entity fetch from ${name} was expected`);
      },
    });
    const caller: GatewayCaller = {
      viewer: { userId: 'a1b2', level: 'STANDARD', roles: [], sessionId: null, service: null },
      authorization: `Bearer ${new UnsecuredJWT({}).setSubject('a1b2').encode()}`,
      clientAddress: undefined,
      userAgent: undefined,
    };
    const connection = new LiveConnections<GatewayCaller>(async () => null).open(caller, { end: () => {} })!;

    const refused = subscriptions.subscribe({ document: parse('subscription { unreadCountChanged { unreadCount } }'), connection, schemas: validatedWith });
    expect(refused).toEqual({ errors: [expect.objectContaining({ message: LIVE_ENDS.schemaChanged.reason, extensions: { code: 'SCHEMA_CHANGED' } })] });
    expect(subscriptions.stats().streams).toBe(0);
    connection.close();
  });
});
