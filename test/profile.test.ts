import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { personalData } from '../subgraphs/profile/db/schema.ts';
import { createPerson, errorCodes, graphQLErrorCodes, signIn, type Person } from './fixtures.ts';
import { graphql, startGraph, type TestGraph } from './graph.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const PERSONAL =
  'mutation ($i: PersonalDataInput!) { updatePersonalData(input: $i) { personalData { lastName middleName birthDate citizenship registrationAddress { postcode region house flat } } errors { field code message } } }';
const DOCUMENT = `mutation ($i: SaveDocumentInput!) { saveDocument(input: $i) {
  document { id type ... on RussianPassport { series number divisionCode } ... on Snils { number } ... on Inn { number } ... on DriverLicence { categories expiresOn } ... on OmsPolicy { number } }
  errors { field code message } warnings { field code message } } }`;

async function person(): Promise<Person & { token: string }> {
  const created = await createPerson(graph);
  return { ...created, token: await signIn(graph, created.phone) };
}

describe('Personal data', () => {
  it('saves names, dates, citizenship and a structured address as the person typed them, normalised', async () => {
    const { token } = await person();
    const { body } = await graph.request(PERSONAL, {
      token,
      variables: {
        i: {
          lastName: 'Соколова',
          firstName: 'Ирина',
          middleName: 'Павловна',
          sex: 'FEMALE',
          birthDate: '1988-12-01',
          citizenship: 'rus',
          registrationAddress: { postcode: '141400', region: 'Московская область', house: '8', flat: '12' },
        },
      },
    });
    expect(body.data.updatePersonalData).toEqual({
      personalData: { lastName: 'Соколова', middleName: 'Павловна', birthDate: '1988-12-01', citizenship: 'RUS', registrationAddress: { postcode: '141400', region: 'Московская область', house: '8', flat: '12' } },
      errors: [],
    });
  });

  it('names every wrong field at once and writes nothing', async () => {
    const { id, token } = await person();
    const before = await graph.databases.profile.db.select().from(personalData).where(eq(personalData.userId, id));
    const { body } = await graph.request(PERSONAL, {
      token,
      variables: { i: { lastName: '', firstName: 'Ирина1', birthDate: '2999-01-01', citizenship: 'Россия', registrationAddress: { postcode: '1414', region: 'МО', house: '8' } } },
    });
    expect(body.data.updatePersonalData.personalData).toBeNull();
    expect(body.data.updatePersonalData.errors.map((error: { field: string[] }) => error.field.join('.'))).toEqual(
      expect.arrayContaining(['input.lastName', 'input.firstName', 'input.birthDate', 'input.citizenship', 'input.registrationAddress.postcode']),
    );
    for (const error of body.data.updatePersonalData.errors) expect(error.message).toMatch(/[А-Яа-яЁё]/);
    expect(await graph.databases.profile.db.select().from(personalData).where(eq(personalData.userId, id))).toEqual(before);
  });
});

describe('Documents', () => {
  it('keeps one passport: a second one replaces the first', async () => {
    const { token } = await person();
    const save = (number: string) => graph.request(DOCUMENT, { token, variables: { i: { russianPassport: { series: '45 10', number, issuedOn: '2015-02-10', issuedBy: 'ОВД', divisionCode: '770001' } } } });
    const first = (await save('111111')).body.data.saveDocument.document;
    const second = (await save('222222')).body.data.saveDocument.document;
    expect(second).toEqual({ id: first.id, type: 'RUSSIAN_PASSPORT', series: '4510', number: '222222', divisionCode: '770-001' });
    const { body } = await graph.request('{ me { documents { type } } }', { token });
    expect(body.data.me.documents).toEqual([{ type: 'RUSSIAN_PASSPORT' }]);
  });

  it('checks SNILS and INN check numbers', async () => {
    const { token } = await person();
    const snils = await graph.request(DOCUMENT, { token, variables: { i: { snils: { number: '112-233-445 95' } } } });
    expect(snils.body.data.saveDocument.document).toMatchObject({ type: 'SNILS', number: '112-233-445 95' });
    const wrong = await graph.request(DOCUMENT, { token, variables: { i: { snils: { number: '112-233-445 96' } } } });
    expect(wrong.body.data.saveDocument).toMatchObject({ document: null, errors: [{ field: ['input', 'snils', 'number'], code: 'INVALID_CHECKSUM' }] });
    const inn = await graph.request(DOCUMENT, { token, variables: { i: { inn: { number: '500100732259' } } } });
    expect(inn.body.data.saveDocument.document).toMatchObject({ type: 'INN', number: '500100732259' });
    const badInn = await graph.request(DOCUMENT, { token, variables: { i: { inn: { number: '500100732258' } } } });
    expect(errorCodes(badInn.body.data.saveDocument)).toEqual(['INVALID_CHECKSUM']);
  });

  it('saves a driver licence with its categories, and refuses one that expires before it was issued', async () => {
    const { token } = await person();
    const ok = await graph.request(DOCUMENT, { token, variables: { i: { driverLicence: { series: '9916', number: '482913', issuedOn: '2019-07-02', expiresOn: '2029-07-02', categories: ['B', 'TM'] } } } });
    expect(ok.body.data.saveDocument.document).toEqual({ id: expect.any(String), type: 'DRIVER_LICENCE', categories: ['B', 'TM'], expiresOn: '2029-07-02' });
    const bad = await graph.request(DOCUMENT, { token, variables: { i: { driverLicence: { series: '9916', number: '482913', issuedOn: '2019-07-02', expiresOn: '2018-07-02', categories: ['B'] } } } });
    expect(errorCodes(bad.body.data.saveDocument)).toEqual(['EXPIRY_BEFORE_ISSUE']);
  });

  it('saves an ОМС policy whose check digit looks wrong, with a warning', async () => {
    const { token } = await person();
    const { body } = await graph.request(DOCUMENT, { token, variables: { i: { omsPolicy: { number: '1234 5678 9012 3456' } } } });
    expect(body.data.saveDocument.document).toMatchObject({ type: 'OMS_POLICY', number: '1234567890123456' });
    expect(body.data.saveDocument.errors).toEqual([]);
  });

  it('wants exactly one kind of document in one save', async () => {
    const { token } = await person();
    const { body } = await graph.request(DOCUMENT, { token, variables: { i: { snils: { number: '11223344595' }, inn: { number: '500100732259' } } } });
    expect(errorCodes(body.data.saveDocument)).toEqual(['ONE_DOCUMENT_REQUIRED']);
  });
});

describe('Children and vehicles', () => {
  it('adds a child with a birth certificate written with Latin look-alikes', async () => {
    const { token } = await person();
    const { body } = await graph.request('mutation ($i: ChildInput!) { saveChild(input: $i) { child { firstName birthCertificate { series number } } errors { field code } } }', {
      token,
      variables: { i: { lastName: 'Соколова', firstName: 'Анна', sex: 'FEMALE', birthDate: '2016-05-05', birthCertificate: { series: 'iv-мю', number: '512345', issuedOn: '2016-05-20', issuedBy: 'ЗАГС' } } },
    });
    expect(body.data.saveChild).toEqual({ child: { firstName: 'Анна', birthCertificate: { series: 'IV-МЮ', number: '512345' } }, errors: [] });
  });

  it('refuses a "child" who is an adult', async () => {
    const { token } = await person();
    const { body } = await graph.request('mutation ($i: ChildInput!) { saveChild(input: $i) { child { id } errors { field code } } }', {
      token,
      variables: { i: { lastName: 'Соколов', firstName: 'Пётр', sex: 'MALE', birthDate: '1990-05-05' } },
    });
    expect(body.data.saveChild).toEqual({ child: null, errors: [{ field: ['input', 'birthDate'], code: 'CHILD_TOO_OLD' }] });
  });

  it('normalises a plate typed in Latin letters, and accepts a VIN whatever its check digit', async () => {
    const { token } = await person();
    const SAVE = 'mutation ($i: VehicleInput!) { saveVehicle(input: $i) { vehicle { registrationPlate vin bodyNumber } errors { field code } } }';
    const ok = await graph.request(SAVE, { token, variables: { i: { make: 'Lada', model: 'Vesta', registrationPlate: 'a 123 bc 750', vin: 'xtagfl110ky123456' } } });
    expect(ok.body.data.saveVehicle).toEqual({ vehicle: { registrationPlate: 'А123ВС750', vin: 'XTAGFL110KY123456', bodyNumber: null }, errors: [] });
    const oldCar = await graph.request(SAVE, { token, variables: { i: { make: 'ВАЗ', model: '2101', bodyNumber: '1234567' } } });
    expect(oldCar.body.data.saveVehicle.errors).toEqual([]);
    const bad = await graph.request(SAVE, { token, variables: { i: { make: 'Lada', model: 'Vesta', registrationPlate: 'А000ВС77', vin: 'XTAGFL110KY12345O' } } });
    expect(bad.body.data.saveVehicle.errors.map((error: { field: string[] }) => error.field.join('.'))).toEqual(['input.registrationPlate', 'input.vin']);
  });
});

describe('History', () => {
  it('keeps every change with the fields before and after, newest first', async () => {
    const { token } = await person();
    await graph.request(PERSONAL, { token, variables: { i: { lastName: 'Старая', firstName: 'Ирина' } } });
    await graph.request(PERSONAL, { token, variables: { i: { lastName: 'Новая', firstName: 'Ирина' } } });
    const { body } = await graph.request('{ me { profileHistory(first: 1) { edges { node { subject subjectName action actor changes { field before after } } } pageInfo { hasNextPage } } } }', { token });
    expect(body.data.me.profileHistory).toEqual({
      edges: [{ node: { subject: 'PERSONAL_DATA', subjectName: 'Личные данные', action: 'UPDATED', actor: 'PERSON', changes: [{ field: 'lastName', before: 'Старая', after: 'Новая' }] } }],
      pageInfo: { hasNextPage: true },
    });
  });
});

describe('Application pre-fill', () => {
  it('returns the form data in one bundle, with the contacts from identity', async () => {
    const { token, phone } = await person();
    await graph.request(DOCUMENT, { token, variables: { i: { snils: { number: '11223344595' } } } });
    const { body } = await graph.request('{ me { phone applicationPrefill { lastName firstName snils passport { series number } checked } } }', { token });
    expect(body.data.me).toEqual({ phone, applicationPrefill: { lastName: 'Тестов', firstName: 'Тест', snils: '112-233-445 95', passport: { series: '4510', number: expect.any(String) }, checked: false } });
  });
});

describe('Privacy of the profile', () => {
  it('gives another citizen nothing of it, through the gateway or directly', async () => {
    const [owner, stranger] = [await person(), await person()];
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { profile { lastName } documents { type } children { id } vehicles { id } applicationPrefill { lastName } } } }';
    const { body } = await graphql(graph.subgraphUrls.profile, query, { token: stranger.token, variables: { r: [{ __typename: 'User', id: owner.id }] } });
    expect(body.data).toEqual({ _entities: [null] });
    expect(graphQLErrorCodes(body)).toEqual(['FORBIDDEN']);
  });

  it('shows an operator only the passport, and only of an account waiting for confirmation', async () => {
    const operator = await createPerson(graph, { roles: ['OPERATOR'] });
    const operatorToken = await signIn(graph, operator.phone);
    const waiting = await person();
    const confirmed = await person();
    for (const who of [waiting, confirmed]) await graph.request(DOCUMENT, { token: who.token, variables: { i: { snils: { number: '11223344595' } } } });
    await graph.databases.profile.db.update(personalData).set({ accountLevel: 'STANDARD' }).where(eq(personalData.userId, waiting.id));
    await graph.databases.profile.db.update(personalData).set({ accountLevel: 'CONFIRMED' }).where(eq(personalData.userId, confirmed.id));
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { name { lastName } documents { type } } } }';
    const look = async (who: Person) => (await graphql(graph.subgraphUrls.profile, query, { token: operatorToken, variables: { r: [{ __typename: 'User', id: who.id }] } })).body;
    expect(await look(waiting)).toEqual({ data: { _entities: [{ name: { lastName: 'Тестов' }, documents: [{ type: 'RUSSIAN_PASSPORT' }] }] } });
    expect(await look(confirmed)).toEqual({ data: { _entities: [{ name: { lastName: 'Тестов' }, documents: [] }] } });
    const profile = await graphql(graph.subgraphUrls.profile, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { profile { lastName } } } }', {
      token: operatorToken,
      variables: { r: [{ __typename: 'User', id: waiting.id }] },
    });
    expect(graphQLErrorCodes(profile.body)).toEqual(['FORBIDDEN']);
  });
});
