import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, lastCode } from '../fixtures.ts';
import { startGraph, type TestGraph } from '../graph.ts';
import { captureLogs } from '../logs.ts';

/**
 * What the services write to their logs while a person registers, signs in, fails a code, recovers
 * the password and fills in documents: never a password, a code, a token or a document number.
 */
let graph: TestGraph;
const written: string[] = [];
const streams = [process.stdout, process.stderr] as const;
const originals = streams.map((stream) => stream.write.bind(stream));
// The services' logger (lib/log.ts) too: under vitest its lines go through the console, not these streams.
let logger: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  graph = await startGraph();
  logger = captureLogs();
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return (originals[i] as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  });
});
afterAll(async () => {
  streams.forEach((stream, i) => (stream.write = originals[i] as typeof stream.write));
  logger?.stop();
  await graph?.stop();
});

describe('Logs', () => {
  it('never hold passwords, codes, tokens or document numbers', async () => {
    const secrets: string[] = [];
    const phone = `+7933${String(process.pid % 10_000_000).padStart(7, '0')}`;
    const password = 'Onega2026secret';
    const started = (await graph.request('mutation { startRegistration(input: { lastName: "Логов", firstName: "Лев", phone: "' + phone + '" }) { codeSent { requestId } } }')).body.data.startRegistration;
    const requestId = started.codeSent.requestId as string;
    const code = lastCode(graph, phone);
    secrets.push(code);
    await graph.request('mutation ($i: ConfirmCodeInput!) { confirmRegistrationContact(input: $i) { confirmed } }', { variables: { i: { requestId, code: '000000' === code ? '111111' : '000000' } } });
    await graph.request('mutation ($i: ConfirmCodeInput!) { confirmRegistrationContact(input: $i) { confirmed } }', { variables: { i: { requestId, code } } });
    const done = (
      await graph.request('mutation ($i: CompleteRegistrationInput!) { completeRegistration(input: $i) { accessToken refreshToken } }', {
        variables: { i: { requestId, password, passwordConfirmation: password } },
      })
    ).body.data.completeRegistration;
    secrets.push(password, done.accessToken, done.refreshToken);
    const wrong = await graph.request('mutation { login(input: { login: "' + phone + '", password: "Wrong2026secret" }) { errors { code } } }');
    expect(errorCodes(wrong.body.data.login)).toEqual(['INVALID_CREDENTIALS']);
    secrets.push('Wrong2026secret');
    const token = done.accessToken as string;
    await graph.request('mutation { saveDocument(input: { russianPassport: { series: "4512", number: "987654", issuedOn: "2015-02-10", issuedBy: "ОВД", divisionCode: "770-001" } }) { errors { code } } }', { token });
    await graph.request('mutation { saveDocument(input: { snils: { number: "148-481-255 85" } }) { errors { code } } }', { token });
    // A broken request on the way, so that error logging has something to say.
    await graph.request('mutation { saveDocument(input: { snils: { number: "148-481-255 86" } }) { errors { code } } }', { token });
    secrets.push('987654', '14848125585', '148-481-255 85');
    await graph.eventsSettled();

    const log = written.join('') + logger.text();
    expect(secrets.filter((secret) => log.includes(secret))).toEqual([]);
  });
});
