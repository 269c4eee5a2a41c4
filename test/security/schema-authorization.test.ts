import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphName } from '../../lib/config.ts';
import { fakeSubgraphs } from '../fake-subgraphs.ts';
import { createPerson, signIn } from '../fixtures.ts';
import { graphql, startGraph, type TestGraph } from '../graph.ts';

/**
 * `@authenticated` and `@requiresScopes` hold twice: the gateway refuses a field before planning, so
 * its subgraph never hears of it, and each subgraph refuses it again for itself, before the resolver.
 * Either check removed, a test here goes red (checked: the gateway's `authorizingGateway` replaced by
 * the bare gateway reddens the first; `enforceRequirements` taken out of lib/service.ts, the FORBIDDEN
 * rows, which then meet the resolvers' own messages; the anonymous rows stay green, as the
 * resolvers refuse an anonymous caller with the same words).
 */
let graph: TestGraph;
let citizen: string;
let official: string;

beforeAll(async () => {
  graph = await startGraph();
  citizen = await signIn(graph, (await createPerson(graph)).phone);
  official = await signIn(graph, (await createPerson(graph, { roles: ['OFFICIAL'] })).phone);
});
afterAll(() => graph?.stop());

const REFUSED = 'Недостаточно прав: это поле доступно другим уровням учётной записи или ролям.';
const refusal = (code: 'FORBIDDEN' | 'UNAUTHENTICATED') => ({
  message: code === 'FORBIDDEN' ? REFUSED : 'Войдите на портал, чтобы продолжить.',
  extensions: expect.objectContaining({ code }),
});

describe('The gateway refuses before planning', () => {
  // Appeals, as the gateway sees it: a stand-in that counts every request and answers nothing useful.
  const { start: fakeSubgraph } = fakeSubgraphs();

  it('so a refused field never reaches its subgraph, while an allowed one does', async () => {
    let received = 0;
    const appeals = await fakeSubgraph((respond) => {
      received++;
      respond(200, '{"data":null}');
    });
    const gateway = await graph.startGatewayInstance({ subgraphUrls: { ...graph.subgraphUrls, appeals } });
    try {
      const refused = await graphql(gateway.url, '{ authorityAppeals { totalCount } }', { token: citizen });
      expect(refused.body).toEqual({ data: null, errors: [{ ...refusal('FORBIDDEN'), path: ['authorityAppeals'] }] });
      expect(received).toBe(0);
      await graphql(gateway.url, '{ authorityAppeals { totalCount } }', { token: official });
      expect(received).toBe(1);
    } finally {
      await gateway.stop();
    }
  });
});

describe('Each subgraph refuses for itself, reached with a valid gateway credential', () => {
  const cases: [string, SubgraphName, string, 'citizen' | 'anonymous', 'FORBIDDEN' | 'UNAUTHENTICATED'][] = [
    ["an official's queue", 'appeals', '{ authorityAppeals { totalCount } }', 'citizen', 'FORBIDDEN'],
    ["a coordinator's analytics", 'appeals', '{ appealAnalytics(input: { from: "2026-01-01", to: "2026-12-31" }) { totalCount } }', 'citizen', 'FORBIDDEN'],
    ["an official's status change", 'appeals', 'mutation { takeAppealIntoWork(input: { appealId: "00000000-0000-4000-8000-000000000000" }) { errors { code } } }', 'citizen', 'FORBIDDEN'],
    ["an operator's account search", 'identity', '{ findAccount(login: "+79990000000") { id } }', 'citizen', 'FORBIDDEN'],
    [
      "a portal service's notification",
      'notifications',
      'mutation { postNotification(input: { userId: "00000000-0000-4000-8000-000000000000", sourceId: "x", category: SUPPORT, kind: PORTAL_CHANGES, title: "t", body: "b" }) { errors { code } } }',
      'citizen',
      'FORBIDDEN',
    ],
    ["marking one's feed read, anonymously", 'notifications', 'mutation { markAllNotificationsRead { updatedCount } }', 'anonymous', 'UNAUTHENTICATED'],
    ['a data check, anonymously', 'profile', 'mutation { startDataCheck { errors { code } } }', 'anonymous', 'UNAUTHENTICATED'],
    ["one's own account, anonymously", 'identity', '{ me { id } }', 'anonymous', 'UNAUTHENTICATED'],
  ];

  it.each(cases)('%s (%s)', async (_name, subgraph, query, caller, code) => {
    const { body } = await graphql(graph.subgraphUrls[subgraph], query, { token: caller === 'citizen' ? citizen : undefined });
    expect(body.errors).toEqual([expect.objectContaining(refusal(code))]);
    expect(Object.values(body.data ?? {}).filter((value) => value !== null)).toEqual([]);
  });
});
