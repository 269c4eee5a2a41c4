import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appeals } from '../subgraphs/appeals/db/schema.ts';
import { signedInPerson, type Person } from './fixtures.ts';
import { graphql, startGraph, type TestGraph } from './graph.ts';

/**
 * Where an appeal goes and why (docs/appeals.md, "Routing"): `previewAppealRouting` before sending,
 * `Appeal.routing` after, and the official's own authority (`User.officialAuthority`).
 */
let graph: TestGraph;
type Who = Person & { token: string };
let citizen: Who;
let khimkiOfficial: Who;

const MINISTRY_OF_TRANSPORT = '00000000-0000-4000-b000-000000000001';
const KHIMKI = '00000000-0000-4000-b000-000000000002';
const MINISTRY_OF_LANDSCAPING = '8b410c33-39fb-42f7-afff-09457240cbd0';
const MINISTRY_OF_HEALTH = 'f2717195-4483-4b2f-aac4-76466d7ed941';
const KHIMKI_NAME = 'городской округ Химки';

beforeAll(async () => {
  graph = await startGraph();
  citizen = await signedInPerson(graph, { level: 'CONFIRMED' });
  khimkiOfficial = await signedInPerson(graph, { roles: ['OFFICIAL'] }, KHIMKI);
});
afterAll(() => graph?.stop());

const ROUTING = 'authority { id } reason ruleTopic { id } explanation reassignment { from { id } reason }';
const PREVIEW = `query ($i: PreviewAppealRoutingInput!) { previewAppealRouting(input: $i) { routing { ${ROUTING} } errors { field code message } } }`;
const SUBMIT = `mutation ($i: AppealInput!) { submitAppeal(input: $i) { appeal { id authority { id } routing { ${ROUTING} } } errors { field code message } } }`;
const TEXT = 'Во дворе второй месяц не горят фонари у детской площадки.';

async function preview(input: Record<string, unknown>, token?: string) {
  return (await graph.request(PREVIEW, { token, variables: { i: input } })).body.data.previewAppealRouting;
}
async function submit(input: Record<string, unknown>) {
  return (await graph.request(SUBMIT, { token: citizen.token, variables: { i: { text: TEXT, ...input } } })).body.data.submitAppeal;
}

describe('previewAppealRouting', () => {
  const places = [
    { topicId: 'yards.lighting', regionCode: '50', municipality: KHIMKI_NAME, address: 'г. Химки, ул. Молодёжная, 8' },
    { topicId: 'healthcare.clinics', regionCode: '50', municipality: KHIMKI_NAME },
    { topicId: 'yards.lighting', regionCode: '50' },
    { topicId: 'yards.lighting', regionCode: '50', municipality: 'городской округ Мытищи' },
  ];

  it('names the authority and the rule, and the appeal sent right after goes exactly there, for the same reason', async () => {
    const previews = [];
    for (const place of places) {
      const { routing, errors } = await preview(place);
      expect(errors).toEqual([]);
      const sent = await submit(place);
      expect(sent.errors).toEqual([]);
      expect(sent.appeal.authority).toEqual(routing.authority);
      expect({ ...sent.appeal.routing, explanation: null }).toEqual({ ...routing, explanation: null });
      expect(routing.explanation.replace('Обращение будет направлено', 'Обращение направлено').replace(/ Укажите муниципальное образование.*$/, '')).toBe(sent.appeal.routing.explanation);
      previews.push(routing);
    }
    expect(previews.map(({ authority, reason, ruleTopic }: { authority: { id: string }; reason: string; ruleTopic: { id: string } }) => [authority.id, reason, ruleTopic.id])).toEqual([
      [KHIMKI, 'MUNICIPALITY_RULE', 'yards'],
      [MINISTRY_OF_HEALTH, 'REGION_RULE', 'healthcare'],
      [MINISTRY_OF_LANDSCAPING, 'REGION_FALLBACK', 'yards'],
      [MINISTRY_OF_LANDSCAPING, 'REGION_FALLBACK', 'yards'],
    ]);
    expect(previews[0].explanation).toBe(
      'Обращение будет направлено: Администрация городского округа Химки. По правилам платформы обращения на тему «Дворы и общественные пространства» (к ней относится «Не работает освещение во дворе») в муниципальном образовании «городской округ Химки» рассматривает это ведомство.',
    );
    expect(previews[2].explanation).toMatch(/Муниципальное образование не указано.* Укажите муниципальное образование/);
  });

  it('refuses what submitAppeal refuses, with the same errors, and creates nothing', async () => {
    const wrong = [
      { topicId: 'roads.flying-cars', regionCode: '50' },
      { topicId: 'yards.lighting', regionCode: 'Подмосковье', municipality: 'х'.repeat(201) },
      { topicId: 'yards.lighting', regionCode: '50', address: 'д'.repeat(301), location: { latitude: 95, longitude: 37 } },
      { topicId: 'yards.lighting', regionCode: '99' },
    ];
    const codes = [];
    for (const input of wrong) {
      const { routing, errors } = await preview(input);
      expect(routing).toBeNull();
      expect(errors).toEqual((await submit(input)).errors);
      codes.push(errors.map((error: { code: string; field: string[] }) => `${error.code} ${error.field.join('.')}`));
    }
    expect(codes).toEqual([
      ['NOT_FOUND input.topicId'],
      ['INVALID_FORMAT input.regionCode', 'TOO_LONG input.municipality'],
      ['TOO_LONG input.address', 'INVALID_FORMAT input.location'],
      ['NO_AUTHORITY_FOR_PLACE input.topicId'],
    ]);
    expect(await graph.databases.appeals.db.$count(appeals, eq(appeals.authorId, citizen.id))).toBe(places.length);
  });

  it("needs no sign-in: the rules are the platform's, and nothing of the person goes in", async () => {
    expect((await preview(places[0]!)).routing.authority).toEqual({ id: KHIMKI });
  });
});

describe('Appeal.routing', () => {
  it("after a redirection, names the new authority, the one that redirected it and the official's words", async () => {
    const sent = await submit({ topicId: 'roads.potholes', regionCode: '50', municipality: KHIMKI_NAME, address: 'г. Химки, Ленинградское шоссе, 25' });
    expect(sent.appeal.routing).toMatchObject({ authority: { id: KHIMKI }, reason: 'MUNICIPALITY_RULE', ruleTopic: { id: 'roads' }, reassignment: null });
    const reason = 'Ленинградское шоссе — дорога регионального значения, её содержит министерство.';
    const { body } = await graph.request(`mutation ($i: RedirectAppealInput!) { redirectAppeal(input: $i) { appeal { routing { ${ROUTING} } } errors { code } } }`, {
      token: khimkiOfficial.token,
      variables: { i: { appealId: sent.appeal.id, authorityId: MINISTRY_OF_TRANSPORT, reason } },
    });
    expect(body.data.redirectAppeal.errors).toEqual([]);
    expect(body.data.redirectAppeal.appeal.routing).toEqual({
      authority: { id: MINISTRY_OF_TRANSPORT },
      reason: 'REDIRECTED',
      ruleTopic: null,
      reassignment: { from: { id: KHIMKI }, reason },
      explanation:
        'Обращение перенаправлено по компетенции: Министерство транспорта и дорожной инфраструктуры Московской области. Его передало ведомство, рассматривавшее его раньше (Администрация городского округа Химки), с объяснением: «Ленинградское шоссе — дорога регионального значения, её содержит министерство».',
    });
  });

  it('tells a draft where it would go if sent now, and nothing before it has a topic and a region', async () => {
    const SAVE = `mutation ($i: AppealDraftInput!) { saveAppealDraft(input: $i) { appeal { routing { ${ROUTING} } } errors { code } } }`;
    const draft = await graph.request(SAVE, { token: citizen.token, variables: { i: { topicId: 'yards.lighting', regionCode: '50', municipality: KHIMKI_NAME } } });
    expect(draft.body.data.saveAppealDraft.appeal.routing).toEqual((await preview({ topicId: 'yards.lighting', regionCode: '50', municipality: KHIMKI_NAME })).routing);
    const empty = await graph.request(SAVE, { token: citizen.token, variables: { i: { text: 'Черновик' } } });
    expect(empty.body.data.saveAppealDraft.appeal.routing).toBeNull();
  });
});

describe('User.officialAuthority', () => {
  it("is the official's own authority, null for a citizen", async () => {
    const ask = (token: string) => graph.request('{ me { officialAuthority { id name } } }', { token });
    expect((await ask(khimkiOfficial.token)).body.data.me.officialAuthority).toEqual({ id: KHIMKI, name: 'Администрация городского округа Химки' });
    expect((await ask(citizen.token)).body.data.me.officialAuthority).toBeNull();
  });

  it('is not read by anyone else, straight at the subgraph either', async () => {
    const { body } = await graphql(graph.subgraphUrls.appeals, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { officialAuthority { id } } } }', {
      token: citizen.token,
      variables: { r: [{ __typename: 'User', id: khimkiOfficial.id }] },
    });
    expect(body.data).toEqual({ _entities: [null] });
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
