import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphName } from '../../lib/config.ts';
import { insertRowsIfMissing } from '../../subgraphs/appeals/db/store.ts';
import type { appeals } from '../../subgraphs/appeals/db/schema.ts';
import { DOCUMENT_TYPENAME } from '../../subgraphs/profile/domain/present.ts';
import { createAppeal, createAuthority, createFeedItem, createPerson, graphQLErrorCodes, signIn, type Person } from '../fixtures.ts';
import { graphql, startGraph, type GraphQLResponse, type TestGraph } from '../graph.ts';

/**
 * The world of the access matrix (access-matrix*.test.ts): person A, whose data every row tries to
 * reach, and the callers who try — B (another signed-in citizen), officials of A's authority and of
 * another one, an operator and a coordinator — with the runner that sends a row and checks it.
 */

/** Where A's appeals go: the seeded Khimki administration, so that `submitAppeal` routes there too. */
export const KHIMKI = '00000000-0000-4000-b000-000000000002';
export const PLACE = { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки' };

export type Who = 'A' | 'B' | 'official' | 'otherOfficial' | 'operator' | 'coordinator';
/** The gateway, or one subgraph called directly with the gateway's credential (as a compromised or bypassed gateway would). */
export type Target = 'gateway' | SubgraphName;
type Variables = Record<string, unknown>;

/** The values of A's documents, one of each kind; saving them again changes nothing. */
export const DOCUMENTS: Record<string, Variables> = {
  RUSSIAN_PASSPORT: { russianPassport: { series: '4510', number: '918273', issuedOn: '2015-02-03', issuedBy: 'ОВД района Левобережный', divisionCode: '770-001' } },
  SNILS: { snils: { number: '112-233-445 95' } },
  INN: { inn: { number: '500100732259' } },
  FOREIGN_PASSPORT: { foreignPassport: { series: '75', number: '7654321', issuedOn: '2020-01-10', expiresOn: '2030-01-10', issuedBy: 'МВД 77001' } },
  DRIVER_LICENCE: { driverLicence: { series: '9916', number: '482913', issuedOn: '2019-07-02', expiresOn: '2029-07-02', categories: ['B'] } },
  OMS_POLICY: { omsPolicy: { number: '1234 5678 9012 3456' } },
  MILITARY_ID: { militaryId: { series: 'АК', number: '7654329', issuedOn: '2012-05-05', issuedBy: 'Военный комиссариат Химок' } },
  BIRTH_CERTIFICATE: { birthCertificate: { series: 'IV-МЮ', number: '613579', issuedOn: '1990-02-01', issuedBy: 'ЗАГС города Химки' } },
};
/** Each kind of document with its type in the schema: profile's own map, so a new kind is in the matrix at once. */
export const DOCUMENT_TYPENAMES: Record<string, string> = DOCUMENT_TYPENAME;
const CHILD = { lastName: 'Секретова', firstName: 'Василиса', sex: 'FEMALE', birthDate: '2016-05-05' };
const VEHICLE = { make: 'Лада', model: 'Веста', registrationPlate: 'А123ВС77', vin: 'XTAGFL110KY654321' };

/**
 * Everything of A's that A herself sees through the gateway: the matrix takes it before and after
 * each attempt (nothing may change), takes A's object ids from it, and takes the strings that must
 * never reach anyone else from it.
 */
const CABINET = `query ($n: Int) { me { id phone email
  profile { lastName firstName birthDate }
  documents { id type ... on RussianPassport { series number } ... on Snils { number } ... on Inn { number }
    ... on ForeignPassport { series number issuedBy } ... on DriverLicence { series number } ... on OmsPolicy { number }
    ... on MilitaryId { series number issuedBy } ... on BirthCertificate { series number issuedBy } }
  children { id lastName firstName } vehicles { id make model registrationPlate vin }
  notifications(first: $n) { edges { cursor node { id title body isRead archivedAt } } }
  notificationPreferences { deliveryWindow { timeZone } pushDevices { id name } }
  appeals(first: $n) { edges { node { id number status text } } }
  sessions(first: $n) { edges { node { id current } } } securityEvents(first: $n) { edges { node { id kind } } } } }`;

export interface Cabinet {
  id: string;
  documents: { id: string; type: string }[];
  children: { id: string }[];
  vehicles: { id: string }[];
  notifications: { edges: { cursor: string; node: { id: string; title: string } }[] };
  notificationPreferences: { pushDevices: { id: string }[] };
  appeals: { edges: { node: { id: string; status: string } }[] };
  sessions: { edges: { node: { id: string; current: boolean } }[] };
}

/** A's draft, and a registered appeal of A's, in her cabinet. */
export const draftOf = (cabinet: Cabinet) => cabinet.appeals.edges.find(({ node }) => node.status === 'DRAFT')!.node.id;
export const registeredOf = (cabinet: Cabinet) => cabinet.appeals.edges.find(({ node }) => node.status === 'REGISTERED')!.node.id;

/** Strings of a response that could be nobody's secret: dates, enum values, short codes. */
const isCommon = (text: string) => text.length < 6 || /^\d{4}-\d{2}-\d{2}/.test(text) || /^[A-Z_]+$/.test(text);

function stringsOf(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) value.forEach((item) => stringsOf(item, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((item) => stringsOf(item, into));
  return into;
}

/** The secrets of `body` found in it: each as it would stand inside the JSON. */
export const leaksIn = (body: unknown, secrets: string[]) => {
  const json = JSON.stringify(body);
  return secrets.filter((secret) => json.includes(JSON.stringify(secret).slice(1, -1)));
};

export async function startWorld(graph: TestGraph) {
  const people = {
    A: await createPerson(graph, { lastName: 'Секретова' }),
    B: await createPerson(graph, { lastName: 'Взломщиков' }),
    official: await createPerson(graph, { roles: ['OFFICIAL'], lastName: 'Химкинский' }),
    otherOfficial: await createPerson(graph, { roles: ['OFFICIAL'], lastName: 'Чужеведомцев' }),
    operator: await createPerson(graph, { roles: ['OPERATOR'], lastName: 'Операторов' }),
    coordinator: await createPerson(graph, { roles: ['COORDINATOR'], lastName: 'Координаторов' }),
  } satisfies Record<Who, Person>;
  await insertRowsIfMissing(graph.databases.appeals.db, { topics: [], authorities: [], appeals: [], officials: [{ userId: people.official.id, authorityId: KHIMKI }] });
  const other = await createAuthority(graph, { officialId: people.otherOfficial.id });
  const tokens = Object.fromEntries(await Promise.all(Object.entries(people).map(async ([who, person]) => [who, await signIn(graph, person.phone)]))) as Record<Who, string>;

  const request = (query: string, variables: Variables = {}, token = tokens.A) => graph.request(query, { token, variables });
  const asA = async (query: string, variables: Variables) => {
    const { body } = await request(query, variables);
    expect(body.errors, JSON.stringify(body)).toBeUndefined();
    return body.data;
  };
  // 50 of each list: more than A has, and within the gateway's cost limit (2,402 of 5,000).
  const cabinetOf = async (token: string): Promise<Cabinet> => {
    const cabinet: Cabinet = (await request(CABINET, { n: 50 }, token)).body.data.me;
    // Sessions come by last use, which A's own requests move (noted once a minute): compared by id.
    cabinet.sessions.edges.sort((a, b) => a.node.id.localeCompare(b.node.id));
    return cabinet;
  };

  await createFeedItem(graph, { userId: people.A.id, category: 'PAYMENT', title: 'Штраф ГИБДД по постановлению 18810177250001234567', body: 'Оплатите штраф Секретовой до 1 декабря.' });
  await createFeedItem(graph, { userId: people.A.id, title: 'Ответ поддержки Секретовой', body: 'Ваш вопрос о налоговом вычете решён.' });
  await createFeedItem(graph, { userId: people.B.id, title: 'Уведомление Взломщикова', body: 'Своё.' });
  await asA('mutation ($i: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { errors { code } } }', {
    i: { deliveryWindow: { startsAt: '09:00', endsAt: '21:00', timeZone: 'Asia/Yekaterinburg' } },
  });

  /** A registered appeal of A's, in `status`, at Khimki (or another authority), made fresh for one row. */
  const appealIn = (status: (typeof appeals.$inferInsert)['status'] = 'REGISTERED', authorityId = KHIMKI) =>
    createAppeal(graph, {
      authorId: people.A.id,
      authorityId,
      ...PLACE,
      status,
      registeredAt: new Date(),
      text: 'Секретная яма у дома 17 на улице Ленина, подъезд Секретовой.',
      ...(status === 'CLARIFICATION_REQUESTED' ? { clarificationQuestion: 'Уточните номер дома.' } : {}),
      ...(status === 'ANSWERED' ? { answerText: 'Яму заделают до 1 декабря.', answeredAt: new Date() } : {}),
    });

  /** A feed item of A's, made fresh for one row; in the archive when `archived`. */
  const feedItem = (archived = false) => createFeedItem(graph, { userId: people.A.id, title: 'Запись к врачу Секретовой на 12:30', body: 'Кабинет 214, терапевт.', ...(archived ? { archivedAt: new Date() } : {}) });

  /** Makes sure A has one of everything, whatever earlier rows' controls removed or sent. */
  async function ensure(): Promise<void> {
    const cabinet = await cabinetOf(tokens.A);
    const has = (type: string) => cabinet.documents.some((document) => document.type === type);
    for (const [type, input] of Object.entries(DOCUMENTS)) {
      if (!has(type)) await asA('mutation ($i: SaveDocumentInput!) { saveDocument(input: $i) { errors { code } } }', { i: input });
    }
    if (!cabinet.children.length) await asA('mutation ($i: ChildInput!) { saveChild(input: $i) { errors { code } } }', { i: CHILD });
    if (!cabinet.vehicles.length) await asA('mutation ($i: VehicleInput!) { saveVehicle(input: $i) { errors { code } } }', { i: VEHICLE });
    if (!cabinet.notificationPreferences.pushDevices.length) {
      await asA('mutation ($i: RegisterPushDeviceInput!) { registerPushDevice(input: $i) { errors { code } } }', { i: { token: `push-${people.A.id}`, platform: 'IOS', name: 'iPhone Секретовой' } });
    }
    if (!cabinet.appeals.edges.some(({ node }) => node.status === 'DRAFT')) {
      await asA('mutation ($i: AppealDraftInput!) { saveAppealDraft(input: $i) { errors { code } } }', { i: { ...PLACE, text: 'Черновик Секретовой о сломанной скамейке.' } });
    }
    if (!cabinet.appeals.edges.some(({ node }) => node.status === 'REGISTERED')) await appealIn();
    // A second device signed in, for `revokeSession` to aim at: never the session of A's token.
    if (cabinet.sessions.edges.length < 2) await signIn(graph, people.A.phone);
  }

  // Strings B sees of B's own (a division code every test passport shares, say) are nobody's secret.
  const commonStrings = stringsOf(await cabinetOf(tokens.B));
  const settled = () => graph.eventsSettled();

  return {
    graph,
    people,
    tokens,
    otherAuthorityId: other.authorityId,
    appealIn,
    feedItem,
    ensure,
    settled,
    /** A's cabinet as A sees it. */
    cabinet: () => cabinetOf(tokens.A),
    /** The strings of A's cabinet nobody else may read: those not in B's own, and not sent in the request. */
    secretsOf(cabinet: Cabinet, sent: string): string[] {
      return [...stringsOf(cabinet)].filter((text) => !isCommon(text) && !commonStrings.has(text) && !sent.includes(text));
    },
    /** Sends an operation to the gateway or straight to a subgraph, as `who` (anonymous when undefined). */
    send(target: Target, query: string, variables: Variables, who: Who | undefined): Promise<GraphQLResponse> {
      const url = target === 'gateway' ? graph.url : graph.subgraphUrls[target];
      return graphql(url, query, { variables, ...(who ? { token: tokens[who] } : {}) });
    },
  };
}

export type World = Awaited<ReturnType<typeof startWorld>>;

/**
 * What the attempt must get. `FORBIDDEN`/`UNAUTHENTICATED`: GraphQL errors of that code only.
 * `NOT_FOUND`/`SESSION_NOT_FOUND`: the mutation's own payload error, as for an id that does not exist.
 * `INVALID`: the operation is refused whole (HTTP 400): the field does not exist there.
 * `{ data }`: exactly this answer, no errors — A's objects treated as if they were not there.
 */
export type Expected = 'FORBIDDEN' | 'UNAUTHENTICATED' | 'NOT_FOUND' | 'SESSION_NOT_FOUND' | 'INVALID' | { data: unknown };

/**
 * How the same path shows it is not broken, run by A herself (or by the staff member whose work it
 * is): `reveals`, the answer holds some of A's secrets; `succeeds`, no errors at all, the payload's
 * included; `runs`, no GraphQL error (the payload may refuse for its own reasons).
 */
export type Control = { by?: Who; expect: 'reveals' | 'succeeds' | 'runs' } | { none: string };

export interface Row {
  /** What of A's is reached: a type of the schema. */
  type: string;
  /** How: the field, mutation or entity, with the argument that carries A's id. */
  path: string;
  operation: string;
  /** The variables, from A's cabinet as it is just before the attempt; may make a fresh object of A's. */
  variables?: (world: World, cabinet: Cabinet) => Variables | Promise<Variables>;
  /** Where it is sent; the gateway only by default. */
  at?: Target[];
  /** Who tries; B by default. */
  by?: Who;
  expected: Expected;
  /** What an anonymous caller gets on the same path; UNAUTHENTICATED by default. */
  anonymous?: Expected;
  control: Control;
}

/** Codes of the payload errors (`{ errors: [{ code }] }` objects) anywhere in `data`. */
function payloadErrorCodes(data: unknown): string[] {
  if (Array.isArray(data)) return data.flatMap(payloadErrorCodes);
  if (!data || typeof data !== 'object') return [];
  return Object.entries(data).flatMap(([key, value]) => (key === 'errors' && Array.isArray(value) ? value.map((error: { code: string }) => error.code) : payloadErrorCodes(value)));
}

export function expectRefusal({ status, body }: GraphQLResponse, expected: Expected) {
  const context = JSON.stringify(body);
  if (typeof expected === 'object') {
    expect(body.errors, context).toBeUndefined();
    expect(body.data, context).toEqual(expected.data);
  } else if (expected === 'INVALID') {
    expect([status, new Set(graphQLErrorCodes(body))], context).toEqual([400, new Set(['GRAPHQL_VALIDATION_FAILED'])]);
  } else if (expected === 'FORBIDDEN' || expected === 'UNAUTHENTICATED') {
    const codes = graphQLErrorCodes(body);
    expect(codes.length, context).toBeGreaterThan(0);
    expect(new Set(codes), context).toEqual(new Set([expected]));
  } else {
    expect(body.errors, context).toBeUndefined();
    expect(payloadErrorCodes(body.data), context).toEqual([expected]);
  }
}

const describeExpected = (expected: Expected) => (typeof expected === 'object' ? `answers ${JSON.stringify(expected.data)}` : expected);

/** Each row at each of its targets (the gateway by default), by its attacker (B by default) and by an anonymous caller, named for `it.each`. */
const matrixCases = (rows: Row[]) =>
  rows.flatMap((row) =>
    (row.at ?? (['gateway'] as Target[])).flatMap((target) => [
      { row, target, by: row.by ?? 'B', label: `${row.by ?? 'B'} → ${row.type} via ${row.path} at ${target}: ${describeExpected(row.expected)}` },
      { row, target, by: undefined, label: `anonymous → ${row.type} via ${row.path} at ${target}: ${describeExpected(row.anonymous ?? 'UNAUTHENTICATED')}` },
    ]),
  );

/**
 * One attempt of the matrix: A has one of everything; the row's variables are taken from A's
 * cabinet; `who` sends it to `target`; the answer is the expected refusal and holds none of A's
 * secrets; A's cabinet is the same afterwards; then the control, unless `control` is false.
 */
export async function attempt(world: World, row: Row, target: Target, who: Who | undefined, { control = true }: { control?: boolean } = {}) {
  await world.settled();
  await world.ensure();
  const variables = (await row.variables?.(world, await world.cabinet())) ?? {};
  const before = await world.cabinet();
  const secrets = world.secretsOf(before, row.operation + JSON.stringify(variables));
  const response = await world.send(target, row.operation, variables, who);
  expectRefusal(response, who ? row.expected : (row.anonymous ?? 'UNAUTHENTICATED'));
  expect(leaksIn(response.body, secrets), 'A’s data in the answer').toEqual([]);
  await world.settled();
  expect(await world.cabinet(), 'A’s cabinet after the attempt').toEqual(before);
  if (!control || 'none' in row.control) return;

  const own = await world.send(target, row.operation, variables, row.control.by ?? 'A');
  const context = JSON.stringify(own.body);
  if (row.control.expect === 'reveals') expect(leaksIn(own.body, secrets).length, `the control reveals nothing: ${context}`).toBeGreaterThan(0);
  else expect(own.body.errors, context).toBeUndefined();
  if (row.control.expect === 'succeeds') expect(payloadErrorCodes(own.body.data), context).toEqual([]);
  await world.settled();
}

/** A graph and A's world for the test file: `world()` in a test gives it. */
export function useWorld(): () => World {
  let graph: TestGraph | undefined;
  let world: World | undefined;
  beforeAll(async () => {
    graph = await startGraph();
    world = await startWorld(graph);
  }, 120_000);
  afterAll(() => graph?.stop());
  return () => world!;
}

/** The matrix of a test file: one `describe` per section, one test per row, target and caller. */
export function describeMatrix(sections: [title: string, rows: Row[]][]) {
  const world = useWorld();
  describe.each(sections)('%s', (_title, rows) => {
    it.each(matrixCases(rows))('$label', ({ row, target, by }) => attempt(world(), row, target, by, { control: by !== undefined }));
  });
}
