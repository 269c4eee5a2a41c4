import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appeals } from '../subgraphs/appeals/db/schema.ts';
import { loadCalendar } from '../subgraphs/appeals/domain/appeals.ts';
import { dateIn, dueDate, endOfDayIn } from '../subgraphs/appeals/domain/calendar.ts';
import { insertRowsIfMissing } from '../subgraphs/appeals/db/store.ts';
import { createPerson, errorCodes, graphQLErrorCodes, signIn, type Person } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

const MINISTRY = '00000000-0000-4000-b000-000000000001'; // transport and roads of the Moscow region
const KHIMKI = '00000000-0000-4000-b000-000000000002'; // the Khimki administration
const KHIMKI_NAME = 'городской округ Химки';

let graph: TestGraph;
type Who = Person & { token: string };
let citizen: Who;
let ministryOfficial: Who;
let khimkiOfficial: Who;

async function who(options: Parameters<typeof createPerson>[1] = {}, authorityId?: string): Promise<Who> {
  const person = await createPerson(graph, options);
  if (authorityId) await insertRowsIfMissing(graph.databases.appeals.db, { topics: [], authorities: [], appeals: [], officials: [{ userId: person.id, authorityId }] });
  return { ...person, token: await signIn(graph, person.phone) };
}

beforeAll(async () => {
  graph = await startGraph();
  citizen = await who({ level: 'CONFIRMED' });
  ministryOfficial = await who({ roles: ['OFFICIAL'] }, MINISTRY);
  khimkiOfficial = await who({ roles: ['OFFICIAL'] }, KHIMKI);
});
afterAll(() => graph?.stop());

const APPEAL_FIELDS =
  'id number status kind dueAt isOverdue extended authority { id } topic { id } answer { text } rating { score comment } rejectionReason clarificationQuestion timeline { action status actor comment }';
const SUBMIT = `mutation ($i: AppealInput!) { submitAppeal(input: $i) { appeal { ${APPEAL_FIELDS} } errors { field code message } } }`;
const pothole = { topicId: 'roads.potholes', regionCode: '50', municipality: KHIMKI_NAME, address: 'г. Химки, ул. Молодёжная, 8', text: 'Глубокая яма у подъезда, машины бьют колёса.' };

async function submit(token: string, input: Record<string, unknown> = pothole) {
  return (await graph.request(SUBMIT, { token, variables: { i: input } })).body;
}

const ACTIONS = {
  take: 'mutation ($i: AppealIdInput!) { takeAppealIntoWork(input: $i) { appeal { status } errors { code message } } }',
  ask: 'mutation ($i: AppealTextInput!) { requestAppealClarification(input: $i) { appeal { status clarificationQuestion } errors { code } } }',
  reply: 'mutation ($i: AppealTextInput!) { replyToClarification(input: $i) { appeal { status } errors { code } } }',
  answer: 'mutation ($i: AppealTextInput!) { answerAppeal(input: $i) { appeal { status answer { text } } errors { code message } } }',
  rate: 'mutation ($i: RateAppealAnswerInput!) { rateAppealAnswer(input: $i) { appeal { status rating { score } } errors { code message } } }',
  reject: 'mutation ($i: AppealTextInput!) { rejectAppeal(input: $i) { appeal { status rejectionReason } errors { code } } }',
  redirect: 'mutation ($i: RedirectAppealInput!) { redirectAppeal(input: $i) { appeal { status authority { id } } errors { code } } }',
  extend: 'mutation ($i: ExtendAppealDueDateInput!) { extendAppealDueDate(input: $i) { appeal { dueAt extended } errors { code message } } }',
} as const;

async function act(kind: keyof typeof ACTIONS, token: string, input: Record<string, unknown>) {
  const { body } = await graph.request(ACTIONS[kind], { token, variables: { i: input } });
  return body;
}
const result = (body: { data?: Record<string, { appeal: unknown; errors: { code: string }[] }> | null }) => Object.values(body.data ?? {})[0]!;

describe('Sending an appeal', () => {
  it('routes it by topic and place, registers it with a number and a due date in working days, and tells the citizen', async () => {
    const body = await submit(citizen.token);
    const { appeal, errors } = body.data.submitAppeal;
    expect(errors).toEqual([]);
    const calendar = await loadCalendar(graph.databases.appeals.db);
    const due = endOfDayIn(dueDate({ kind: 'APPEAL', registeredOn: dateIn(new Date()), reviewDays: 10 }, calendar));
    expect(appeal).toMatchObject({
      number: expect.stringMatching(/^ПОС-\d{4}-\d{6}$/),
      status: 'REGISTERED',
      kind: 'APPEAL',
      authority: { id: KHIMKI },
      topic: { id: 'roads.potholes' },
      dueAt: due.toISOString(),
      isOverdue: false,
      timeline: [{ action: 'SUBMITTED', status: 'REGISTERED', actor: 'CITIZEN', comment: null }],
    });
    await graph.eventsSettled();
    const feed = await graph.request('{ me { notifications(category: APPEAL) { edges { node { title appeal { id } } } } } }', { token: citizen.token });
    expect(feed.body.data.me.notifications.edges).toContainEqual({ node: { title: `Обращение ${appeal.number}: зарегистрировано`, appeal: { id: appeal.id } } });
  });

  it('sends a subtopic with a rule of its own to its own authority', async () => {
    const { appeal } = (await submit(citizen.token, { ...pothole, topicId: 'roads.repair' })).data.submitAppeal;
    expect(appeal.authority).toEqual({ id: MINISTRY });
  });

  it('is open to STANDARD accounts; a pre-trial complaint only to CONFIRMED ones; SIMPLIFIED ones get a clear refusal', async () => {
    const simplified = await who({ level: 'SIMPLIFIED' });
    const standard = await who({ level: 'STANDARD' });
    expect(errorCodes((await submit(simplified.token)).data.submitAppeal)).toEqual(['STANDARD_LEVEL_REQUIRED']);
    expect((await submit(standard.token)).data.submitAppeal.errors).toEqual([]);
    const complaint = { ...pothole, kind: 'COMPLAINT', complaint: { subject: 'SERVICE', ground: 'OTHER', serviceName: 'Выдача разрешения на парковку' } };
    expect(errorCodes((await submit(standard.token, complaint)).data.submitAppeal)).toEqual(['CONFIRMED_LEVEL_REQUIRED']);
  });

  it('names every wrong field at once', async () => {
    const body = await submit(citizen.token, {
      ...pothole,
      regionCode: '5',
      text: 'Яма',
      attachments: [
        { name: 'фото.exe', size: 100, mimeType: 'application/x-msdownload' },
        { name: 'big.jpg', size: 50 * 1024 * 1024, mimeType: 'image/jpeg' },
      ],
    });
    expect(body.data.submitAppeal.errors.map((error: { field: string[]; code: string }) => [error.field.join('.'), error.code])).toEqual([
      ['input.regionCode', 'INVALID_FORMAT'],
      ['input.text', 'TOO_SHORT'],
      ['input.attachments.0.mimeType', 'FILE_TYPE_NOT_ALLOWED'],
      ['input.attachments.1.size', 'FILE_TOO_LARGE'],
    ]);
  });

  it('refuses a place no authority on the platform answers for', async () => {
    expect(errorCodes((await submit(citizen.token, { ...pothole, regionCode: '99', municipality: null })).data.submitAppeal)).toEqual(['NO_AUTHORITY_FOR_PLACE']);
  });

  it('keeps a draft for the citizen alone, then sends it', async () => {
    const DRAFT = 'mutation ($i: AppealDraftInput!) { saveAppealDraft(input: $i) { appeal { id status number authority { id } } errors { code } } }';
    const draft = (await graph.request(DRAFT, { token: citizen.token, variables: { i: { text: 'Начал писать про' } } })).body.data.saveAppealDraft.appeal;
    expect(draft).toMatchObject({ status: 'DRAFT', number: null, authority: null });
    const seen = await graph.request('query ($id: ID!) { appeal(id: $id) { id } }', { token: ministryOfficial.token, variables: { id: draft.id } });
    expect(graphQLErrorCodes(seen.body)).toEqual(['FORBIDDEN']);
    const sent = (await submit(citizen.token, { ...pothole, draftId: draft.id })).data.submitAppeal.appeal;
    expect(sent).toMatchObject({ id: draft.id, status: 'REGISTERED', authority: { id: KHIMKI } });
  });
});

describe('Reviewing an appeal: the state machine', () => {
  it('goes registered → in work → clarification → in work → answered → rated low and reopened once → answered → closed, all in the timeline', async () => {
    const { appeal } = (await submit(citizen.token)).data.submitAppeal;
    const id = { appealId: appeal.id };
    expect(result(await act('take', khimkiOfficial.token, id)).appeal).toEqual({ status: 'IN_WORK' });
    expect(result(await act('ask', khimkiOfficial.token, { ...id, text: 'Уточните номер подъезда.' })).appeal).toEqual({ status: 'CLARIFICATION_REQUESTED', clarificationQuestion: 'Уточните номер подъезда.' });
    expect(result(await act('reply', citizen.token, { ...id, text: 'Подъезд № 3.' })).appeal).toEqual({ status: 'IN_WORK' });
    expect(result(await act('answer', khimkiOfficial.token, { ...id, text: 'Яма будет заделана до 1 декабря.' })).appeal).toEqual({ status: 'ANSWERED', answer: { text: 'Яма будет заделана до 1 декабря.' } });
    expect(result(await act('rate', citizen.token, { ...id, score: 2, comment: 'Сроки затянуты', reopen: true })).appeal).toEqual({ status: 'IN_WORK', rating: { score: 2 } });
    await act('answer', khimkiOfficial.token, { ...id, text: 'Яма заделана 20 ноября.' });
    expect(errorCodes(result(await act('rate', citizen.token, { ...id, score: 1, reopen: true })))).toEqual(['ALREADY_REOPENED']);
    expect(result(await act('rate', citizen.token, { ...id, score: 5 })).appeal).toEqual({ status: 'CLOSED', rating: { score: 5 } });

    const { body } = await graph.request(`query ($id: ID!) { appeal(id: $id) { timeline { action status actor comment } } }`, { token: citizen.token, variables: { id: appeal.id } });
    expect(body.data.appeal.timeline).toEqual([
      { action: 'SUBMITTED', status: 'REGISTERED', actor: 'CITIZEN', comment: null },
      { action: 'TAKEN_INTO_WORK', status: 'IN_WORK', actor: 'OFFICIAL', comment: null },
      { action: 'CLARIFICATION_REQUESTED', status: 'CLARIFICATION_REQUESTED', actor: 'OFFICIAL', comment: 'Уточните номер подъезда.' },
      { action: 'CLARIFIED', status: 'IN_WORK', actor: 'CITIZEN', comment: 'Подъезд № 3.' },
      { action: 'ANSWERED', status: 'ANSWERED', actor: 'OFFICIAL', comment: 'Яма будет заделана до 1 декабря.' },
      { action: 'REOPENED', status: 'IN_WORK', actor: 'CITIZEN', comment: 'Оценка 2 из 5: Сроки затянуты' },
      { action: 'ANSWERED', status: 'ANSWERED', actor: 'OFFICIAL', comment: 'Яма заделана 20 ноября.' },
      { action: 'RATED', status: 'CLOSED', actor: 'CITIZEN', comment: 'Оценка 5 из 5' },
    ]);
  });

  it('refuses a transition by the wrong role, by another authority, and from the wrong state', async () => {
    const { appeal } = (await submit(citizen.token)).data.submitAppeal;
    const id = { appealId: appeal.id };
    expect(graphQLErrorCodes(await act('take', citizen.token, id))).toEqual(['FORBIDDEN']);
    expect(graphQLErrorCodes(await act('take', ministryOfficial.token, id))).toEqual(['FORBIDDEN']);
    expect(graphQLErrorCodes(await act('reply', khimkiOfficial.token, { ...id, text: 'Я не автор' }))).toEqual(['FORBIDDEN']);
    const early = result(await act('answer', khimkiOfficial.token, { ...id, text: 'Ответ' }));
    expect(early.errors).toEqual([{ code: 'TRANSITION_NOT_ALLOWED', message: 'Нельзя дать ответ: обращение в статусе «зарегистрировано».' }]);
    expect(errorCodes(result(await act('rate', citizen.token, { ...id, score: 5 })))).toEqual(['TRANSITION_NOT_ALLOWED']);
    expect(errorCodes(result(await act('ask', khimkiOfficial.token, { ...id, text: '' })))).toEqual(['REQUIRED']);
  });

  it('extends the due date once, by at most 30 days, and tells the citizen', async () => {
    const { appeal } = (await submit(citizen.token)).data.submitAppeal;
    const id = { appealId: appeal.id };
    expect(errorCodes(result(await act('extend', khimkiOfficial.token, { ...id, days: 31, reason: 'Нужна экспертиза' })))).toEqual(['EXTENSION_TOO_LONG']);
    const extended = result(await act('extend', khimkiOfficial.token, { ...id, days: 10, reason: 'Нужна экспертиза' })).appeal as { dueAt: string; extended: boolean };
    expect(extended.extended).toBe(true);
    expect(Date.parse(extended.dueAt)).toBeGreaterThan(Date.parse(appeal.dueAt) + 9 * 86_400_000);
    expect(errorCodes(result(await act('extend', khimkiOfficial.token, { ...id, days: 5, reason: 'Ещё раз' })))).toEqual(['ALREADY_EXTENDED']);
    await graph.eventsSettled();
    const feed = await graph.request('{ me { notifications(category: APPEAL, first: 50) { edges { node { title body } } } } }', { token: citizen.token });
    expect(feed.body.data.me.notifications.edges.map((edge: { node: { title: string } }) => edge.node.title)).toContain(`Обращение ${appeal.number}: срок рассмотрения продлён`);
  });

  it('redirects to the competent authority, which then has it alone', async () => {
    const { appeal } = (await submit(citizen.token)).data.submitAppeal;
    const redirected = result(await act('redirect', khimkiOfficial.token, { appealId: appeal.id, authorityId: MINISTRY, reason: 'Дорога регионального значения' }));
    expect(redirected.appeal).toEqual({ status: 'REDIRECTED', authority: { id: MINISTRY } });
    const old = await graph.request('query ($id: ID!) { appeal(id: $id) { id } }', { token: khimkiOfficial.token, variables: { id: appeal.id } });
    expect(graphQLErrorCodes(old.body)).toEqual(['FORBIDDEN']);
    expect(result(await act('take', ministryOfficial.token, { appealId: appeal.id })).appeal).toEqual({ status: 'IN_WORK' });
  });

  it('rejects with a reason the citizen reads', async () => {
    const { appeal } = (await submit(citizen.token)).data.submitAppeal;
    expect(result(await act('reject', khimkiOfficial.token, { appealId: appeal.id, text: 'Яма на частной территории.' })).appeal).toEqual({ status: 'REJECTED', rejectionReason: 'Яма на частной территории.' });
  });

  it('gives a pre-trial complaint about a refusal to accept documents 5 working days and no extension', async () => {
    const complaint = {
      ...pothole,
      topicId: 'roads.repair',
      kind: 'COMPLAINT',
      complaint: { subject: 'OFFICIAL_DECISION', ground: 'REFUSAL_TO_ACCEPT_DOCUMENTS', serviceName: 'Согласование ремонта дороги', decisionDate: '2026-11-20' },
    };
    const { appeal } = (await submit(citizen.token, complaint)).data.submitAppeal;
    const calendar = await loadCalendar(graph.databases.appeals.db);
    expect(appeal.dueAt).toBe(endOfDayIn(dueDate({ kind: 'COMPLAINT', registeredOn: dateIn(new Date()), reviewDays: null, complaintGround: 'REFUSAL_TO_ACCEPT_DOCUMENTS' }, calendar)).toISOString());
    expect(errorCodes(result(await act('extend', ministryOfficial.token, { appealId: appeal.id, days: 5, reason: 'Экспертиза' })))).toEqual(['EXTENSION_NOT_ALLOWED']);
  });
});

describe("Officials' queue", () => {
  it('shows an official only their authority’s appeals, flags the overdue and filters them', async () => {
    const own = (await submit(citizen.token)).data.submitAppeal.appeal;
    const late = (await submit(citizen.token)).data.submitAppeal.appeal;
    await graph.databases.appeals.db
      .update(appeals)
      .set({ dueAt: new Date(Date.now() - 86_400_000) })
      .where(eq(appeals.id, late.id));
    const QUEUE = 'query ($overdue: Boolean, $statuses: [AppealStatus!]) { authorityAppeals(first: 100, overdueOnly: $overdue, statuses: $statuses) { totalCount edges { node { id isOverdue authority { id } } } } }';
    const queue = (await graph.request(QUEUE, { token: khimkiOfficial.token })).body.data.authorityAppeals;
    expect(queue.edges.every((edge: { node: { authority: { id: string } } }) => edge.node.authority.id === KHIMKI)).toBe(true);
    expect(queue.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(expect.arrayContaining([own.id, late.id]));
    const ministryQueue = (await graph.request(QUEUE, { token: ministryOfficial.token })).body.data.authorityAppeals;
    expect(ministryQueue.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(own.id);
    const overdue = (await graph.request(QUEUE, { token: khimkiOfficial.token, variables: { overdue: true } })).body.data.authorityAppeals;
    expect(overdue.edges).toEqual([{ node: { id: late.id, isOverdue: true, authority: { id: KHIMKI } } }]);
  });
});

describe('Analytics for coordinators', () => {
  it('counts by topic and municipality, the overdue share and average rating; only for coordinators', async () => {
    const coordinator = await who({ roles: ['COORDINATOR'] });
    const ANALYTICS =
      'query ($i: AppealAnalyticsInput!) { appealAnalytics(input: $i) { totalCount overdueShare averageRating countByTopic { topic { id } count } countByMunicipality { municipality count overdueCount } topProblems { municipality problems { topic { id } count } } } }';
    const today = dateIn(new Date());
    const { body } = await graph.request(ANALYTICS, { token: coordinator.token, variables: { i: { from: today, to: today, regionCode: '50' } } });
    const analytics = body.data.appealAnalytics;
    expect(analytics.totalCount).toBeGreaterThan(5);
    expect(analytics.countByTopic[0]).toEqual({ topic: { id: 'roads' }, count: analytics.totalCount });
    expect(analytics.countByMunicipality).toEqual([{ municipality: KHIMKI_NAME, count: analytics.totalCount, overdueCount: expect.any(Number) }]);
    expect(analytics.topProblems[0].problems[0].topic.id).toBe('roads.potholes');
    expect(analytics.overdueShare).toBeGreaterThan(0);
    expect(graphQLErrorCodes((await graph.request(ANALYTICS, { token: ministryOfficial.token, variables: { i: { from: today, to: today } } })).body)).toEqual(['FORBIDDEN']);
  });
});
