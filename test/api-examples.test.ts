import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../dev/demo-data.ts';
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
});
afterAll(() => graph?.stop());

describe('docs/api.md', () => {
  it('has an example for every input type of identity, profile and notifications', () => {
    const inputs = ['identity', 'profile', 'notifications'].flatMap((name) =>
      [...readFileSync(new URL(`../schema/${name}.graphql`, import.meta.url), 'utf8').matchAll(/^input (\w+)/gm)].map(([, type]) => type!));
    const used = new Set(examples.flatMap(({ query }) => [...query.matchAll(/\$input: (\w+)/g)].map(([, type]) => type!)));
    const nested = ['AddressInput', 'RussianPassportInput', 'NumberDocumentInput', 'ForeignPassportInput', 'DriverLicenceInput', 'IssuedDocumentInput', 'KindPreferenceInput', 'DeliveryWindowInput'];
    expect(inputs.filter((type) => !used.has(type) && !nested.includes(type))).toEqual([]);
  });

  it('runs every example that needs nothing but the demo data, without an error', async () => {
    const tokens = new Map<string, string>();
    const run = examples.filter((example) => example.as);
    expect(run.length).toBeGreaterThan(25);
    for (const { as, query, variables } of run) {
      const token = as === 'nobody' ? undefined : tokens.get(as!) ?? (await signIn(graph, as!, DEMO_PASSWORD));
      if (token) tokens.set(as!, token);
      const { body } = await graph.request(query, { token, variables });
      const payload = Object.values(body.data ?? {})[0] as { errors?: unknown[] } | undefined;
      expect({ query, errors: body.errors ?? payload?.errors }).toEqual({ query, errors: [] });
    }
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
