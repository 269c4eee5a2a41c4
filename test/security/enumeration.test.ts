import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson } from '../fixtures.ts';
import { startGraph, type GraphQLResponse, type TestGraph } from '../graph.ts';
import { clientAddresses, uniquePhones } from '../parallel-requests.ts';

/**
 * Nobody learns who has an account (docs/security.md, «Account enumeration»). Recovery by phone or
 * e-mail answers the same with or without an account: the same payload, the same cool-down, the
 * same statements. The answers that must differ (a taken phone in registration, recovery by SNILS)
 * are throttled per client address. Each test names the line of the fix it guards; each was seen
 * red with that line reverted.
 */

let graph: TestGraph;
beforeAll(async () => {
  // The test stands as the gateway's proxy, so each test's X-Forwarded-For is its own client address.
  graph = await startGraph({ trustProxy: '127.0.0.1,::1' });
});
afterAll(() => graph?.stop());

const START_RECOVERY = 'mutation ($i: StartPasswordRecoveryInput!) { startPasswordRecovery(input: $i) { codeSent { requestId channel sentTo expiresAt resendAvailableAt } errors { field code message } } }';
const START_REGISTRATION = 'mutation ($i: StartRegistrationInput!) { startRegistration(input: $i) { codeSent { requestId } errors { code } } }';

const newAddress = clientAddresses('203.0.113');
const unknownPhone = uniquePhones('+7933');

/**
 * The answer without what differs between any two requests: ids, times, the seconds to wait, and
 * the masked contact (each answer masks the one its request typed).
 */
const comparable = (body: GraphQLResponse['body']) =>
  JSON.parse(
    JSON.stringify(body)
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
      .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>')
      .replace(/"sentTo":"[^"]*"/g, '"sentTo":"<masked>"')
      .replace(/"retryAfterSeconds":\d+/g, '"retryAfterSeconds":"<n>"')
      .replace(/через \d+ с\./g, 'через <n> с.'),
  );

/** The statements identity sent while `request` ran, and its answer. */
async function withStatements(request: () => Promise<GraphQLResponse>) {
  const before = graph.statements.identity.length;
  const { body } = await request();
  return { body, statements: graph.statements.identity.slice(before) };
}

const recover = (login: string) => withStatements(() => graph.request(START_RECOVERY, { variables: { i: { login } } }));

describe('Password recovery answers the same with or without an account', () => {
  // Guards subgraphs/identity/domain/password.ts startPasswordRecovery: one path for a phone or an
  // e-mail, issueCode with `delivery: 'nowhere'` when no account has the contact confirmed.
  it('by phone: the same payload, the same cool-down, the same statements; only the owner gets an SMS', async () => {
    const person = await createPerson(graph);
    const stranger = unknownPhone();
    const known = await recover(person.phone);
    const unknown = await recover(stranger);
    expect(known.body.data.startPasswordRecovery.codeSent).toMatchObject({ channel: 'SMS' });
    expect(unknown.body.data.startPasswordRecovery.codeSent.sentTo).toBe(`+7 ${stranger.slice(2, 5)} ***-**-${stranger.slice(-2)}`);
    expect(comparable(unknown.body)).toEqual(comparable(known.body));
    expect(unknown.statements).toEqual(known.statements);
    expect(known.statements.filter((statement) => statement.startsWith('insert into "identity"."verification_codes"'))).toHaveLength(1);

    const knownAgain = await recover(person.phone);
    const unknownAgain = await recover(stranger);
    expect(knownAgain.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(comparable(unknownAgain.body)).toEqual(comparable(knownAgain.body));
    expect(unknownAgain.statements).toEqual(knownAgain.statements);

    expect(graph.messages.messagesTo(person.phone)).toHaveLength(1);
    expect(graph.messages.messagesTo(stranger)).toHaveLength(0);
  });

  it('by e-mail: the same', async () => {
    const person = await createPerson(graph);
    const stranger = `nobody-${unknownPhone().slice(1)}@test.example`;
    const known = await recover(person.email);
    const unknown = await recover(stranger);
    expect(known.body.data.startPasswordRecovery.codeSent).toMatchObject({ channel: 'EMAIL' });
    expect(comparable(unknown.body)).toEqual(comparable(known.body));
    expect(unknown.statements).toEqual(known.statements);
    const knownAgain = await recover(person.email);
    const unknownAgain = await recover(stranger);
    expect(comparable(unknownAgain.body)).toEqual(comparable(knownAgain.body));
    expect(knownAgain.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});

describe('Answers that tell whether an account exists are throttled per address', () => {
  // Guards subgraphs/identity/domain/throttle.ts reserveLookup (LOOKUP_RULE, 30 an hour), called
  // before findAccountByLogin in registration.ts startRegistration and password.ts startPasswordRecovery.
  const LIMIT = 30;

  it('registration: of 40 parallel taken-phone checks from one address exactly 30 are answered; another address is not affected', async () => {
    const owner = await createPerson(graph);
    const harvester = newAddress();
    const answers = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const { body } = await graph.request(START_REGISTRATION, { headers: harvester, variables: { i: { lastName: 'Перебор', firstName: 'Пётр', phone: owner.phone } } });
        return body.errors?.[0]?.extensions?.code ?? body.data.startRegistration.errors[0].code;
      }),
    );
    expect(answers.filter((answer) => answer === 'PHONE_TAKEN')).toHaveLength(LIMIT);
    expect(answers.filter((answer) => answer === 'RATE_LIMITED')).toHaveLength(40 - LIMIT);
    const neighbour = await graph.request(START_REGISTRATION, { headers: newAddress(), variables: { i: { lastName: 'Сосед', firstName: 'Иван', phone: owner.phone } } });
    expect(neighbour.body.data.startRegistration.errors[0].code).toBe('PHONE_TAKEN');
  });

  it('recovery by SNILS: the same', async () => {
    const harvester = newAddress();
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, n) => {
        const { body } = await graph.request(START_RECOVERY, { headers: harvester, variables: { i: { login: `${String(900_000_000 + n)}00` } } });
        return body.errors?.[0]?.extensions?.code ?? body.data.startPasswordRecovery.errors[0].code;
      }),
    );
    expect(answers.filter((answer) => answer === 'ACCOUNT_NOT_FOUND')).toHaveLength(LIMIT);
    expect(answers.filter((answer) => answer === 'RATE_LIMITED')).toHaveLength(40 - LIMIT);
  });
});
