import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APPEAL_IDS, DEMO_PASSWORD } from '../dev/demo-data.ts';
import { seedDemoData as seedAppeals } from '../subgraphs/appeals/seed.ts';
import { seedDemoData as seedIdentity } from '../subgraphs/identity/seed.ts';
import { seedDemoData as seedNotifications } from '../subgraphs/notifications/seed.ts';
import { seedDemoData as seedProfile } from '../subgraphs/profile/seed.ts';
import { signIn } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

/**
 * docs/api.md promises a working example for every input type on the demo data: each operation with
 * an `# as: <login>` line runs here, in the document's order, against a graph holding that data.
 */
const EXAMPLE = /```graphql\n# (as: (\S+)|not run: .*)\n([\s\S]*?)```\s*```json\n([\s\S]*?)```/g;
const examples = [...readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8').matchAll(EXAMPLE)].map(([, , as, query, variables]) => ({
  as: as ?? null,
  query: query!,
  variables: JSON.parse(variables!) as Record<string, unknown>,
}));

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
  await seedIdentity(graph.databases.identity);
  await seedProfile(graph.databases.profile);
  await seedNotifications(graph.databases.notifications);
  await seedAppeals(graph.databases.appeals);
});
afterAll(() => graph?.stop());

describe('docs/api.md', () => {
  it('has an example for every input type of every subgraph', () => {
    const inputs = ['identity', 'profile', 'notifications', 'appeals'].flatMap((name) =>
      [...readFileSync(new URL(`../schema/${name}.graphql`, import.meta.url), 'utf8').matchAll(/^input (\w+)/gm)].map(([, type]) => type!),
    );
    const used = new Set(examples.flatMap(({ query }) => [...query.matchAll(/\$input: (\w+)/g)].map(([, type]) => type!)));
    const nested = [
      'AddressInput',
      'RussianPassportInput',
      'NumberDocumentInput',
      'ForeignPassportInput',
      'DriverLicenceInput',
      'IssuedDocumentInput',
      'KindPreferenceInput',
      'DeliveryWindowInput',
      'GeoPointInput',
      'AttachmentInput',
      'ComplaintInput',
    ];
    expect(inputs.filter((type) => !used.has(type) && !nested.includes(type))).toEqual([]);
  });

  it('runs every example that needs nothing but the demo data, without an error', async () => {
    const tokens = new Map<string, string>();
    const run = examples.filter((example) => example.as);
    expect(run.length).toBeGreaterThan(25);
    for (const { as, query, variables } of run) {
      const token = as === 'nobody' ? undefined : (tokens.get(as!) ?? (await signIn(graph, as!, DEMO_PASSWORD)));
      if (token) tokens.set(as!, token);
      const { body } = await graph.request(query, { token, variables });
      const payload = Object.values(body.data ?? {})[0] as { errors?: unknown[] } | undefined;
      expect({ query, errors: body.errors ?? payload?.errors ?? [] }).toEqual({ query, errors: [] });
    }
    // What the appeals section says: where the preview sends the appeal, and where the demo appeals end up.
    const preview = examples.find(({ query }) => query.includes('previewAppealRouting('))!;
    const previewed = await graph.request(preview.query, { variables: preview.variables });
    expect(previewed.body.data.previewAppealRouting.routing).toMatchObject({
      authority: { name: 'Администрация городского округа Химки' },
      reason: 'MUNICIPALITY_RULE',
      ruleTopic: { name: 'Дворы и общественные пространства' },
    });
    const demoAppeals = await graph.request(
      `{ pothole: appeal(id: "${DEMO_APPEAL_IDS.pothole}") { ...routing } lighting: appeal(id: "${DEMO_APPEAL_IDS.yardLighting}") { ...routing }
         bus: appeal(id: "${DEMO_APPEAL_IDS.busSchedule}") { ...routing } road: appeal(id: "${DEMO_APPEAL_IDS.roadRepair}") { ...routing } }
       fragment routing on Appeal { status routing { authority { name } reason reassignment { from { name } } } }`,
      { token: tokens.get('+79160000001') },
    );
    const ministry = { name: 'Министерство транспорта и дорожной инфраструктуры Московской области' };
    expect(demoAppeals.body.data).toEqual({
      pothole: { status: 'ANSWERED', routing: { authority: ministry, reason: 'REDIRECTED', reassignment: { from: { name: 'Администрация городского округа Химки' } } } },
      lighting: { status: 'REGISTERED', routing: { authority: { name: 'Администрация городского округа Химки' }, reason: 'MUNICIPALITY_RULE', reassignment: null } },
      bus: { status: 'CLOSED', routing: { authority: ministry, reason: 'REDIRECTED', reassignment: { from: { name: 'АО «Мострансавто»' } } } },
      road: { status: 'REDIRECTED', routing: { authority: { name: 'Администрация городского округа Балашиха' }, reason: 'REDIRECTED', reassignment: { from: ministry } } },
    });
    // What the profile section promises the newcomer: the check with the example SNILS and passport raises the level.
    await graph.dataChecksSettled();
    await graph.eventsSettled();
    const newcomer = await signIn(graph, '+79160000003', DEMO_PASSWORD);
    const { body } = await graph.request('{ me { level snils notifications(category: ACCOUNT, first: 2) { edges { node { title } } } } }', { token: newcomer });
    expect(body.data.me).toEqual({
      level: 'STANDARD',
      snils: '123-456-789 64',
      notifications: { edges: expect.arrayContaining([{ node: { title: 'Данные проверены' } }, { node: { title: 'Учётная запись стандартная: данные проверены' } }]) },
    });
  });

  it('writes the examples it cannot run (codes, certificates, a service token) against the schema as it is', async () => {
    for (const { query, variables } of examples.filter((example) => !example.as)) {
      const { body } = await graph.request(query, { variables });
      expect({ query, codes: (body.errors ?? []).map((error: { extensions?: { code?: string } }) => error.extensions?.code) }).not.toMatchObject({ codes: expect.arrayContaining(['GRAPHQL_VALIDATION_FAILED']) });
    }
  });
});
