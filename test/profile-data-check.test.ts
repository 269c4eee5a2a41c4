import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devRegisters, type StateRegisters } from '../subgraphs/profile/registers.ts';
import { claimsOf, createPerson, errorCodes, signIn, TEST_PASSWORD, type Person } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

/** Registers that answer only when the test lets them, so a check can be seen while it runs. */
function heldRegisters() {
  const dev = devRegisters({ delayMs: 0 });
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  const registers: StateRegisters = {
    socialFund: { checkSnils: async (query) => (await gate, dev.socialFund.checkSnils(query)) },
    interiorMinistry: { checkPassport: async (query) => (await gate, dev.interiorMinistry.checkPassport(query)) },
  };
  return {
    registers,
    /** Lets every waiting and future question through. */
    answer: () => open(),
    /** Holds the questions again. */
    hold: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
  };
}

const held = heldRegisters();
let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph({ registers: held.registers });
});
afterAll(async () => {
  held.answer();
  await graph?.stop();
});

const PERSONAL = 'mutation ($i: PersonalDataInput!) { updatePersonalData(input: $i) { personalData { verification { status } } errors { field code message } } }';
const DOCUMENT = 'mutation ($i: SaveDocumentInput!) { saveDocument(input: $i) { document { id type verification { status failureReason } } errors { field code message } warnings { code } } }';
const START = 'mutation { startDataCheck { dataCheck { id status } errors { code message } } }';
const STATE = '{ me { level dataCheck { status failureReason } profile { verification { status failureReason } } documents { type verification { status failureReason } } } }';

let snilsSerial = 200_000_000;
function validSnils(): string {
  const digits = String(++snilsSerial).padStart(9, '0');
  const sum = [...digits].reduce((total, digit, i) => total + Number(digit) * (9 - i), 0);
  const check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101 === 100 ? 0 : sum % 101;
  return `${digits}${String(check).padStart(2, '0')}`;
}

/** A SIMPLIFIED person with everything the check needs filled in through the API. */
async function readyPerson(overrides: { lastName?: string; passportNumber?: string; snils?: string } = {}): Promise<Person & { token: string }> {
  const person = await createPerson(graph, { level: 'SIMPLIFIED' });
  const token = await signIn(graph, person.phone);
  const personal = await graph.request(PERSONAL, { token, variables: { i: { lastName: overrides.lastName ?? 'Проверкина', firstName: 'Ольга', sex: 'FEMALE', birthDate: '1990-02-03' } } });
  expect(personal.body.data.updatePersonalData.errors).toEqual([]);
  for (const document of [
    { snils: { number: overrides.snils ?? validSnils() } },
    { russianPassport: { series: '4510', number: overrides.passportNumber ?? '654321', issuedOn: '2015-02-10', issuedBy: 'ОВД', divisionCode: '770-001' } },
  ]) {
    expect((await graph.request(DOCUMENT, { token, variables: { i: document } })).body.data.saveDocument.errors).toEqual([]);
  }
  return { ...person, token };
}

async function waitForCheck() {
  held.answer();
  await graph.dataChecksSettled();
  await graph.eventsSettled();
  held.hold();
}

describe('The data check against the state registers', () => {
  it('needs names, sex, birth date, SNILS and passport first', async () => {
    const person = await createPerson(graph, { level: 'SIMPLIFIED' });
    const token = await signIn(graph, person.phone);
    const { body } = await graph.request(START, { token });
    expect(body.data.startDataCheck).toEqual({ dataCheck: null, errors: [{ code: 'DATA_CHECK_INCOMPLETE', message: 'Для проверки данных заполните: СНИЛС.' }] });
  });

  it('locks the checked data while it runs, then marks them checked, raises the level at the next refresh and tells the feed', async () => {
    const person = await readyPerson();
    const { refreshToken } = (await graph.request('mutation ($i: LoginInput!) { login(input: $i) { refreshToken } }', { variables: { i: { login: person.phone, password: TEST_PASSWORD } } })).body.data.login;
    const started = await graph.request(START, { token: person.token });
    expect(started.body.data.startDataCheck.dataCheck.status).toBe('RUNNING');

    const running = await graph.request(STATE, { token: person.token });
    expect(running.body.data.me.dataCheck.status).toBe('RUNNING');
    expect(running.body.data.me.documents.map((d: { verification: { status: string } }) => d.verification.status)).toEqual(['CHECKING', 'CHECKING']);
    const edit = await graph.request(PERSONAL, { token: person.token, variables: { i: { lastName: 'Иная', firstName: 'Ольга', sex: 'FEMALE', birthDate: '1990-02-03' } } });
    expect(edit.body.data.updatePersonalData).toEqual({
      personalData: null,
      errors: [{ field: ['input', 'lastName'], code: 'DATA_UNDER_CHECK', message: 'Данные проверяются в ведомствах. Изменить их можно после окончания проверки.' }],
    });
    const passportEdit = await graph.request(DOCUMENT, {
      token: person.token,
      variables: { i: { russianPassport: { series: '4511', number: '654321', issuedOn: '2015-02-10', issuedBy: 'ОВД', divisionCode: '770-001' } } },
    });
    expect(errorCodes(passportEdit.body.data.saveDocument)).toEqual(['DATA_UNDER_CHECK']);
    // Data outside the check can still change.
    const place = await graph.request(PERSONAL, { token: person.token, variables: { i: { lastName: 'Проверкина', firstName: 'Ольга', sex: 'FEMALE', birthDate: '1990-02-03', birthPlace: 'г. Тверь' } } });
    expect(place.body.data.updatePersonalData.errors).toEqual([]);

    await waitForCheck();
    const done = await graph.request(STATE, { token: person.token });
    expect(done.body.data.me).toMatchObject({
      dataCheck: { status: 'SUCCEEDED', failureReason: null },
      profile: { verification: { status: 'CHECKED', failureReason: null } },
      documents: [{ verification: { status: 'CHECKED' } }, { verification: { status: 'CHECKED' } }],
    });
    const refreshed = await graph.request('mutation ($i: RefreshSessionInput!) { refreshSession(input: $i) { accessToken } }', { variables: { i: { refreshToken } } });
    expect(claimsOf(refreshed.body.data.refreshSession.accessToken).lvl).toBe('STANDARD');
    const feed = await graph.request('{ me { notifications(category: ACCOUNT) { edges { node { title } } } } }', { token: person.token });
    expect(feed.body.data.me.notifications.edges.map((edge: { node: { title: string } }) => edge.node.title)).toEqual(expect.arrayContaining(['Данные проверены', 'Учётная запись стандартная: данные проверены']));
  });

  it('is replaced by a new check: the running one is cancelled and its late answer ignored', async () => {
    const person = await readyPerson();
    const first = (await graph.request(START, { token: person.token })).body.data.startDataCheck.dataCheck;
    const second = (await graph.request(START, { token: person.token })).body.data.startDataCheck.dataCheck;
    expect(second.id).not.toBe(first.id);
    await waitForCheck();
    const history = await graph.request('{ me { profileHistory(first: 10) { edges { node { subject action actor } } } } }', { token: person.token });
    const checkEntries = history.body.data.me.profileHistory.edges
      .map((edge: { node: { subject: string; action: string; actor: string } }) => edge.node)
      .filter((entry: { subject: string }) => entry.subject === 'DATA_CHECK');
    expect(checkEntries).toEqual([
      { subject: 'DATA_CHECK', action: 'CHECKED', actor: 'REGISTERS' },
      { subject: 'DATA_CHECK', action: 'CHECK_STARTED', actor: 'PERSON' },
      { subject: 'DATA_CHECK', action: 'CHECK_CANCELLED', actor: 'PERSON' },
      { subject: 'DATA_CHECK', action: 'CHECK_STARTED', actor: 'PERSON' },
    ]);
  });

  it('fails with each register’s reason, and the level stays', async () => {
    const person = await readyPerson({ passportNumber: '000123' });
    await graph.request(START, { token: person.token });
    await waitForCheck();
    const { body } = await graph.request(STATE, { token: person.token });
    expect(body.data.me).toMatchObject({
      level: 'SIMPLIFIED',
      dataCheck: { status: 'FAILED', failureReason: 'МВД России сообщает, что паспорт недействителен.' },
      profile: { verification: { status: 'CHECKED' } },
    });
    expect(body.data.me.documents).toEqual(
      expect.arrayContaining([
        { type: 'RUSSIAN_PASSPORT', verification: { status: 'FAILED', failureReason: 'МВД России сообщает, что паспорт недействителен.' } },
        { type: 'SNILS', verification: { status: 'CHECKED', failureReason: null } },
      ]),
    );
    const feed = await graph.request('{ me { notifications(category: ACCOUNT) { edges { node { title body } } } } }', { token: person.token });
    expect(feed.body.data.me.notifications.edges[0].node).toEqual({
      title: 'Данные не прошли проверку',
      body: 'МВД России сообщает, что паспорт недействителен. Исправьте данные в профиле и запустите проверку снова.',
    });
  });

  it('makes checked data unchecked again when it is edited', async () => {
    const person = await readyPerson();
    await graph.request(START, { token: person.token });
    await waitForCheck();
    const edited = await graph.request(PERSONAL, { token: person.token, variables: { i: { lastName: 'Проверкина-Новая', firstName: 'Ольга', sex: 'FEMALE', birthDate: '1990-02-03' } } });
    expect(edited.body.data.updatePersonalData).toEqual({ personalData: { verification: { status: 'NOT_CHECKED' } }, errors: [] });
    const { body } = await graph.request(STATE, { token: person.token });
    expect(body.data.me.documents.find((d: { type: string }) => d.type === 'SNILS').verification.status).toBe('NOT_CHECKED');
    expect(body.data.me.documents.find((d: { type: string }) => d.type === 'RUSSIAN_PASSPORT').verification.status).toBe('CHECKED');
  });
});
