import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AccountLevel, Role } from '../lib/auth.ts';
import { insertAccountsIfMissing } from '../subgraphs/identity/db/accounts.ts';
import { hashPassword } from '../subgraphs/identity/domain/credentials.ts';
import { insertDocumentsIfMissing } from '../subgraphs/profile/db/documents.ts';
import { insertPersonalDataIfMissing } from '../subgraphs/profile/db/personal-data.ts';
import { insertItemsIfMissing } from '../subgraphs/notifications/db/feed.ts';
import type { items } from '../subgraphs/notifications/db/schema.ts';
import { insertRowsIfMissing } from '../subgraphs/appeals/db/store.ts';
import type { appeals } from '../subgraphs/appeals/db/schema.ts';
import type { TestGraph } from './graph.ts';
import { APPEAL_TEXT_CANARY } from './log-secrets.ts';
import { TEST_PASSWORD } from './passwords.ts';

/** Test data is built by each test through the owning subgraph's own queries: no shared fixtures. */

export { TEST_PASSWORD };
let passwordHash: Promise<string> | undefined;
let sequence = 0;

export interface Person {
  id: string;
  phone: string;
  email: string;
  lastName: string;
}

/** An account in identity with personal data and a passport in profile. */
export async function createPerson(graph: TestGraph, { level = 'CONFIRMED', roles = [], lastName = 'Тестов' }: { level?: AccountLevel; roles?: Role[]; lastName?: string } = {}): Promise<Person> {
  const n = `${process.pid % 1000}`.padStart(3, '0') + String(++sequence).padStart(4, '0');
  const person = { id: randomUUID(), phone: `+7999${n}`, email: `person${n}@test.example`, lastName };
  await insertAccountsIfMissing(graph.databases.identity.db, [
    {
      id: person.id,
      phone: person.phone,
      email: person.email,
      level,
      roles,
      phoneConfirmedAt: new Date(),
      emailConfirmedAt: new Date(),
      passwordHash: await (passwordHash ??= hashPassword(TEST_PASSWORD)),
    },
  ]);
  await insertPersonalDataIfMissing(graph.databases.profile.db, [{ userId: person.id, lastName, firstName: 'Тест', sex: 'MALE', birthDate: '1990-01-01' }]);
  await insertDocumentsIfMissing(graph.databases.profile.db, [
    { userId: person.id, type: 'RUSSIAN_PASSPORT', details: { series: '4510', number: n.slice(1), issuedOn: '2015-02-03', issuedBy: 'ОВД', divisionCode: '770-001' } },
  ]);
  return person;
}

/** Signs in through the gateway, as a front end would, and returns the access token. */
export async function signIn(graph: TestGraph, login: string, password = TEST_PASSWORD): Promise<string> {
  const { body } = await graph.request('mutation ($input: LoginInput!) { login(input: $input) { accessToken errors { code message } } }', { variables: { input: { login, password } } });
  if (!body.data?.login?.accessToken) throw new Error(`sign-in failed: ${JSON.stringify(body)}`);
  return body.data.login.accessToken as string;
}

/** A person (createPerson) signed in, with the token; with `authorityId`, an official of that authority in appeals. */
export async function signedInPerson(graph: TestGraph, options: Parameters<typeof createPerson>[1] = {}, authorityId?: string): Promise<Person & { token: string }> {
  const person = await createPerson(graph, options);
  if (authorityId) await insertRowsIfMissing(graph.databases.appeals.db, { topics: [], authorities: [], appeals: [], officials: [{ userId: person.id, authorityId }] });
  return { ...person, token: await signIn(graph, person.phone) };
}

export async function createFeedItem(graph: TestGraph, item: Partial<typeof items.$inferInsert> & { userId: string }) {
  const row = { id: randomUUID(), category: 'SUPPORT' as const, title: 'Обращение в поддержку', body: 'Ответ службы поддержки', ...item };
  await insertItemsIfMissing(graph.databases.notifications.db, [row]);
  return row;
}

/** A topic and an authority with an official bound to it, to send appeals to. */
export async function createAuthority(graph: TestGraph, { officialId }: { officialId?: string } = {}) {
  const authorityId = randomUUID();
  const topicId = `topic-${authorityId.slice(0, 8)}`;
  await insertRowsIfMissing(graph.databases.appeals.db, {
    topics: [{ id: topicId, name: 'Дороги', reviewDays: 30 }],
    authorities: [{ id: authorityId, name: `Министерство ${authorityId.slice(0, 4)}`, kind: 'REGIONAL_EXECUTIVE', regionCode: '50' }],
    officials: officialId ? [{ userId: officialId, authorityId }] : [],
    appeals: [],
  });
  return { authorityId, topicId };
}

export async function createAppeal(graph: TestGraph, appeal: Partial<typeof appeals.$inferInsert> & { authorId: string; authorityId: string; topicId: string }) {
  const row = {
    id: randomUUID(),
    number: `ПОС-T-${++sequence}-${process.pid}`,
    regionCode: '50',
    text: `Яма на дороге (${APPEAL_TEXT_CANARY})`,
    dueAt: new Date(Date.now() + 30 * 86_400_000),
    ...appeal,
  };
  await insertRowsIfMissing(graph.databases.appeals.db, { topics: [], authorities: [], officials: [], appeals: [row] });
  return row;
}

/** The six-digit code of the latest SMS or e-mail to `recipient`, as the person would read it. */
export function lastCode(graph: TestGraph, recipient: string): string {
  const text = graph.messages.lastTo(recipient)?.text ?? '';
  const code = /code=([\w-]+)/.exec(text)?.[1] ?? /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`no code in the last message to ${recipient}: ${text}`);
  return code;
}

/**
 * Makes everything sent to `recipient` `ms` older, as if the clock had moved on: the send limits
 * (cool-down, hourly budget, one letter per 30 days) read `identity.sends`.
 */
export async function ageSends(graph: TestGraph, recipient: string, ms: number): Promise<void> {
  await graph.databases.identity.db.execute(sql`
    update identity.sends set sent = (
      select jsonb_agg(e || jsonb_build_object('at', to_char(((e->>'at')::timestamptz - ${ms} * interval '1 millisecond') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
      from jsonb_array_elements(sent) e)
    where recipient = ${recipient}`);
}

/** The codes of `errors` in a payload, for refusals that are asserted by code. */
export const errorCodes = (payload: { errors: { code: string }[] }) => payload.errors.map((error) => error.code);

/** The `extensions.code` of each GraphQL error of a response. */
export const graphQLErrorCodes = (body: { errors?: { extensions?: { code?: string } }[] }) => body.errors?.map((error) => error.extensions?.code) ?? [];

/** Claims of an access token, read without verifying (the test only looks). */
export const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
