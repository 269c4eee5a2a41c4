import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, signIn, TEST_PASSWORD, type Person } from './fixtures.ts';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../lib/gateway-credential.ts';
import { graphql, startGraph, type TestGraph } from './graph.ts';

/**
 * What a hostile or broken client may send to `/graphql`, at the gateway and at a subgraph: each row
 * an input, the HTTP status and `extensions.code` it must get, always a GraphQL-shaped JSON body
 * (`{ errors: [{ message, extensions: { code } }] }`, a Russian message, no stack, no path) — never
 * a 500, an HTML page or a crash. After the table every service still answers /health/ready.
 *
 * Guards: lib/http-errors.ts `graphqlBodyErrors` (malformed, truncated, oversized bodies, an
 * unknown charset: Express's HTML page before, with a stack in development), `onlyJsonBodies` and
 * `oneOperationBodies` (XML, an array, a string: Apollo Server's English before), wired in
 * gateway/server.ts and lib/service.ts; lib/request-checks.ts `operationResolution` (an unknown
 * `operationName`, several operations without one: 500 `INVALID_GRAPHQL` at the gateway before)
 * and `refuseControlCharacters` (U+0000 in a text: PostgreSQL's refusal, `INTERNAL_SERVER_ERROR`,
 * before; U+001B was stored), both in `apolloOptions` of lib/service.ts.
 */

let graph: TestGraph;
let citizen: Person & { token: string };
let official: Person & { token: string };
let appealInWork: string;

const KHIMKI = '00000000-0000-4000-b000-000000000002'; // the Khimki administration (reference data)
const pothole = { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', address: 'г. Химки, ул. Молодёжная, 8', text: 'Глубокая яма у подъезда, машины бьют колёса.' };
const SUBMIT = 'mutation ($i: AppealInput!) { submitAppeal(input: $i) { appeal { id } errors { field code } } }';

beforeAll(async () => {
  graph = await startGraph();
  const citizenPerson = await createPerson(graph, { level: 'CONFIRMED' });
  citizen = { ...citizenPerson, token: await signIn(graph, citizenPerson.phone) };
  const officialPerson = await createPerson(graph, { roles: ['OFFICIAL'] });
  await graph.databases.appeals.sql`insert into appeals.officials (user_id, authority_id) values (${officialPerson.id}, ${KHIMKI}) on conflict do nothing`;
  official = { ...officialPerson, token: await signIn(graph, officialPerson.phone) };
  const submitted = await graph.request(SUBMIT, { token: citizen.token, variables: { i: pothole } });
  appealInWork = submitted.body.data.submitAppeal.appeal.id;
  const taken = await graph.request('mutation ($i: AppealIdInput!) { takeAppealIntoWork(input: $i) { errors { code } } }', { token: official.token, variables: { i: { appealId: appealInWork } } });
  expect(taken.body.data.takeAppealIntoWork.errors).toEqual([]);
});
afterAll(() => graph?.stop());

type Target = 'gateway' | 'appeals' | 'notifications' | 'identity';
interface Row {
  input: string;
  target?: Target;
  /** The raw request: a body and its content type, or a GraphQL operation (sent as JSON, signed as the gateway for a subgraph). */
  send: { body: string | Buffer; contentType?: string } | { query: string; variables?: Record<string, unknown>; operationName?: string; token?: () => string };
  status: number;
  code: string;
  /** `extensions.field` of the refusal, for a text refused for what it holds. */
  field?: string[];
}

const NUL = 'Яма\u0000 у подъезда, машины бьют колёса.';
const TWO_OPERATIONS = 'query A { generatePassword } query B { generatePassword }';

const ROWS: Row[] = [
  { input: 'malformed JSON', send: { body: '{"query": {me { id } }' }, status: 400, code: 'BAD_REQUEST' },
  { input: 'truncated JSON', send: { body: '{"query": "{ generatePassword }", "variables": {"a": ' }, status: 400, code: 'BAD_REQUEST' },
  { input: 'a body over 1 MB (2 MB)', send: { body: JSON.stringify({ query: `{ generatePassword } # ${'x'.repeat(2 * 1024 * 1024)}` }) }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { input: 'a JSON array body (a batch)', send: { body: JSON.stringify([{ query: '{ generatePassword }' }, { query: '{ generatePassword }' }]) }, status: 400, code: 'BAD_REQUEST' },
  { input: 'a JSON string body', send: { body: '"{ generatePassword }"' }, status: 400, code: 'BAD_REQUEST' },
  { input: 'an XML body', send: { body: '<query>{ generatePassword }</query>', contentType: 'application/xml' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { input: 'JSON declared in an unknown charset', send: { body: JSON.stringify({ query: '{ generatePassword }' }), contentType: 'application/json; charset=koi8-r' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { input: 'an unknown operationName', send: { query: TWO_OPERATIONS, operationName: 'C' }, status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { input: 'two operations without an operationName', send: { query: TWO_OPERATIONS }, status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { input: 'U+0000 in submitAppeal text', send: { query: SUBMIT, variables: { i: { ...pothole, text: NUL } }, token: () => citizen.token }, status: 400, code: 'BAD_USER_INPUT', field: ['input', 'text'] },
  {
    input: 'U+0000 in submitAppeal address',
    send: { query: SUBMIT, variables: { i: { ...pothole, address: 'ул. Молодёжная\u0000' } }, token: () => citizen.token },
    status: 400,
    code: 'BAD_USER_INPUT',
    field: ['input', 'address'],
  },
  {
    input: 'U+0000 in submitAppeal municipality',
    send: { query: SUBMIT, variables: { i: { ...pothole, municipality: 'Химки\u0000' } }, token: () => citizen.token },
    status: 400,
    code: 'BAD_USER_INPUT',
    field: ['input', 'municipality'],
  },
  {
    input: 'U+0000 in a literal (an escape in the query text)',
    send: { query: `mutation { saveAppealDraft(input: { text: "Яма\\u0000" }) { errors { code } } }`, token: () => citizen.token },
    status: 400,
    code: 'BAD_USER_INPUT',
    field: ['input', 'text'],
  },
  {
    input: 'U+0000 in saveAppealDraft text',
    send: { query: 'mutation ($i: AppealDraftInput!) { saveAppealDraft(input: $i) { errors { code } } }', variables: { i: { text: NUL } }, token: () => citizen.token },
    status: 400,
    code: 'BAD_USER_INPUT',
    field: ['input', 'text'],
  },
  {
    input: 'U+0000 in requestAppealClarification text',
    send: { query: 'mutation ($i: AppealTextInput!) { requestAppealClarification(input: $i) { errors { code } } }', variables: { i: { appealId: '', text: 'Уточните\u0000 адрес.' } }, token: () => official.token },
    status: 400,
    code: 'BAD_USER_INPUT',
    field: ['input', 'text'],
  },
  {
    input: "U+0000 in login's deviceName",
    send: { query: 'mutation ($i: LoginInput!) { login(input: $i) { accessToken errors { code } } }', variables: { i: { login: '', password: TEST_PASSWORD, deviceName: 'Телефон\u0000' } } },
    status: 400,
    code: 'BAD_USER_INPUT',
    field: ['input', 'deviceName'],
  },
  {
    input: 'U+0000 in the feed search',
    send: { query: 'query ($s: String) { me { notifications(search: $s) { totalCount } } }', variables: { s: 'заявление\u0000' }, token: () => citizen.token },
    status: 400,
    code: 'BAD_USER_INPUT',
    field: ['search'],
  },
  {
    input: 'another control character (U+001B) in a text',
    send: { query: SUBMIT, variables: { i: { ...pothole, text: 'Яма у подъезда\u001b[31m, машины бьют колёса.' } }, token: () => citizen.token },
    status: 400,
    code: 'BAD_USER_INPUT',
    field: ['input', 'text'],
  },
  // The same at a subgraph, with the gateway's credential: the rules are the subgraphs' own too.
  { input: 'malformed JSON', target: 'appeals', send: { body: '{"query": ' }, status: 400, code: 'BAD_REQUEST' },
  { input: 'a body over 1 MB (2 MB)', target: 'notifications', send: { body: JSON.stringify({ query: `{ _service { sdl } } # ${'x'.repeat(2 * 1024 * 1024)}` }) }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { input: 'an unknown operationName', target: 'identity', send: { query: TWO_OPERATIONS, operationName: 'C' }, status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { input: 'two operations without an operationName', target: 'identity', send: { query: TWO_OPERATIONS }, status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  {
    input: 'U+0000 in saveAppealDraft text',
    target: 'appeals',
    send: { query: 'mutation ($i: AppealDraftInput!) { saveAppealDraft(input: $i) { errors { code } } }', variables: { i: { text: NUL } }, token: () => citizen.token },
    status: 400,
    code: 'BAD_USER_INPUT',
    field: ['input', 'text'],
  },
];

const urlOf = (target: Target) => (target === 'gateway' ? graph.url : graph.subgraphUrls[target]);

async function send(row: Row): Promise<{ status: number; contentType: string | null; text: string }> {
  const target = row.target ?? 'gateway';
  if ('query' in row.send) {
    const { query, variables, operationName, token } = row.send;
    // The fields of a request that carries no token: login; the others are sent as a signed-in person.
    const body = { query, variables, ...(operationName ? { operationName } : {}) };
    const login = query.includes('login(') ? { ...body, variables: { i: { ...(variables!.i as object), login: citizen.phone } } } : body;
    if (target !== 'gateway') {
      // Signed as the gateway would sign it: the subgraph's own handling is what is tested.
      const response = await graphql(urlOf(target), login.query, { variables: login.variables, operationName, token: token?.() });
      return { status: response.status, contentType: 'application/json', text: JSON.stringify(response.body) };
    }
    const withAppeal = query.includes('requestAppealClarification') ? { ...login, variables: { i: { ...(variables!.i as object), appealId: appealInWork } } } : login;
    const response = await fetch(urlOf(target), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token()}` } : {}) },
      body: JSON.stringify(withAppeal),
    });
    return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
  }
  // At a subgraph the credential is checked from the headers before the body is read
  // (lib/gateway-credential.ts `gatewayPerimeter`): a raw body comes with the gateway's credential for
  // an anonymous caller, so what is tested is the subgraph's handling of the body itself.
  const credential: Record<string, string> =
    target === 'gateway' ? {} : { [GATEWAY_CREDENTIAL_HEADER]: signGatewayCredential(process.env.GATEWAY_SECRET!, { subgraph: target, authorization: undefined, query: '', variables: undefined }) };
  const response = await fetch(urlOf(target), { method: 'POST', headers: { 'content-type': row.send.contentType ?? 'application/json', ...credential }, body: row.send.body });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

describe('Hostile input to /graphql', () => {
  it.each(ROWS.map((row) => [`${row.target ?? 'gateway'}: ${row.input}`, row] as const))('%s → the right status and code, as GraphQL JSON', async (_name, row) => {
    const { status, contentType, text } = await send(row);
    expect(contentType).toMatch(/^application\/(graphql-response\+)?json/);
    const body = JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    expect({ status, codes: body.errors?.map((error) => error.extensions?.code) }).toEqual({ status: row.status, codes: [row.code] });
    const [error] = body.errors!;
    expect(error!.message).toMatch(/[А-Яа-яЁё]/);
    if (row.field) expect(error!.extensions?.field).toEqual(row.field);
    // Nothing about the server: no stack, no file path, no parser's own words.
    expect(text).not.toMatch(/stack|node_modules|\/work\/|at [\w.]+ \(|SyntaxError|PayloadTooLargeError/);
  });

  it('leaves nothing half-written: no appeal or draft with a control character was stored', async () => {
    const rows = await graph.databases.appeals.sql`select count(*)::int as count from appeals.appeals where position(chr(27) in text) > 0`;
    expect(rows[0]!.count).toBe(0);
  });

  it('after all of it, every service still answers /health/ready', async () => {
    for (const url of [graph.url, ...Object.values(graph.subgraphUrls)]) {
      const response = await fetch(new URL('/health/ready', url));
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
    }
  });
});
