import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, signIn } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

/**
 * An id of another form than ours (uuid) names nothing: every operation that takes one answers as
 * for an id that does not exist (null, NOT_FOUND, a payload error), never INTERNAL_SERVER_ERROR
 * from the database refusing to read it as a uuid (22P02). Guards lib/ids.ts `isUuid` where the
 * subgraphs look ids up: appeals let 36 dashes through (`/^[0-9a-f-]{36}$/`).
 */
const ODD_IDS = ['-'.repeat(36), '00000000-0000-0000-0000-00000000000g', 'abc', '1', '0'.repeat(32), `${'a'.repeat(8)}-${'a'.repeat(4)}-${'a'.repeat(4)}-${'a'.repeat(4)}-${'a'.repeat(13)}`];

let graph: TestGraph;
const tokens: Record<'citizen' | 'official' | 'operator', string> = { citizen: '', official: '', operator: '' };

beforeAll(async () => {
  graph = await startGraph();
  const citizen = await createPerson(graph, { level: 'CONFIRMED' });
  const official = await createPerson(graph, { roles: ['OFFICIAL'] });
  await graph.databases.appeals.sql`insert into appeals.officials (user_id, authority_id) values (${official.id}, '00000000-0000-4000-b000-000000000002') on conflict do nothing`;
  const operator = await createPerson(graph, { roles: ['OPERATOR'] });
  tokens.citizen = await signIn(graph, citizen.phone);
  tokens.official = await signIn(graph, official.phone);
  tokens.operator = await signIn(graph, operator.phone);
});
afterAll(() => graph?.stop());

type Who = keyof typeof tokens;
const OPERATIONS: [string, Who, string, (id: string) => Record<string, unknown>][] = [
  ['appeal', 'citizen', 'query ($id: ID!) { appeal(id: $id) { id } }', (id) => ({ id })],
  ['notification', 'citizen', 'query ($id: ID!) { notification(id: $id) { id } }', (id) => ({ id })],
  ['authorityAppeals', 'official', 'query ($t: ID) { authorityAppeals(first: 1, topicId: $t) { totalCount } }', (id) => ({ t: id })],
  ['previewAppealRouting', 'citizen', 'query ($i: PreviewAppealRoutingInput!) { previewAppealRouting(input: $i) { __typename } }', (id) => ({ i: { topicId: id, regionCode: '50' } })],
  [
    'submitAppeal (draft)',
    'citizen',
    'mutation ($i: AppealInput!) { submitAppeal(input: $i) { errors { code } } }',
    (id) => ({ i: { draftId: id, topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', text: 'Яма у подъезда, машины бьют колёса.' } }),
  ],
  ['saveAppealDraft', 'citizen', 'mutation ($i: AppealDraftInput!) { saveAppealDraft(input: $i) { errors { code } } }', (id) => ({ i: { draftId: id, text: 'Черновик' } })],
  ['deleteAppealDraft', 'citizen', 'mutation ($i: AppealIdInput!) { deleteAppealDraft(input: $i) { errors { code } } }', (id) => ({ i: { appealId: id } })],
  ['replyToClarification', 'citizen', 'mutation ($i: AppealTextInput!) { replyToClarification(input: $i) { errors { code } } }', (id) => ({ i: { appealId: id, text: 'Ответ' } })],
  ['rateAppealAnswer', 'citizen', 'mutation ($i: RateAppealAnswerInput!) { rateAppealAnswer(input: $i) { errors { code } } }', (id) => ({ i: { appealId: id, score: 5 } })],
  ['takeAppealIntoWork', 'official', 'mutation ($i: AppealIdInput!) { takeAppealIntoWork(input: $i) { errors { code } } }', (id) => ({ i: { appealId: id } })],
  ['redirectAppeal', 'official', 'mutation ($i: RedirectAppealInput!) { redirectAppeal(input: $i) { errors { code } } }', (id) => ({ i: { appealId: id, authorityId: id, reason: 'Не по компетенции' } })],
  ['extendAppealDueDate', 'official', 'mutation ($i: ExtendAppealDueDateInput!) { extendAppealDueDate(input: $i) { errors { code } } }', (id) => ({ i: { appealId: id, days: 10, reason: 'Нужна проверка' } })],
  ['confirmLogin', 'citizen', 'mutation ($i: ConfirmCodeInput!) { confirmLogin(input: $i) { errors { code } } }', (id) => ({ i: { requestId: id, code: '123456' } })],
  ['revokeSession', 'citizen', 'mutation ($i: RevokeSessionInput!) { revokeSession(input: $i) { errors { code } } }', (id) => ({ i: { sessionId: id } })],
  ['resendRegistrationCode', 'citizen', 'mutation ($i: ResendCodeInput!) { resendRegistrationCode(input: $i) { errors { code } } }', (id) => ({ i: { requestId: id } })],
  ['confirmRegistrationContact', 'citizen', 'mutation ($i: ConfirmCodeInput!) { confirmRegistrationContact(input: $i) { errors { code } } }', (id) => ({ i: { requestId: id, code: '123456' } })],
  [
    'completeRegistration',
    'citizen',
    'mutation ($i: CompleteRegistrationInput!) { completeRegistration(input: $i) { errors { code } } }',
    (id) => ({ i: { requestId: id, password: 'Kx9!mqPz#2vL', passwordConfirmation: 'Kx9!mqPz#2vL' } }),
  ],
  [
    'completePasswordRecovery',
    'citizen',
    'mutation ($i: CompletePasswordRecoveryInput!) { completePasswordRecovery(input: $i) { errors { code } } }',
    (id) => ({ i: { requestId: id, code: '123456', newPassword: 'Kx9!mqPz#2vL', newPasswordConfirmation: 'Kx9!mqPz#2vL' } }),
  ],
  ['confirmContactChange', 'citizen', 'mutation ($i: ConfirmCodeInput!) { confirmContactChange(input: $i) { errors { code } } }', (id) => ({ i: { requestId: id, code: '123456' } })],
  [
    'confirmIdentityInPerson',
    'operator',
    'mutation ($i: ConfirmIdentityInPersonInput!) { confirmIdentityInPerson(input: $i) { errors { code } } }',
    (id) => ({ i: { userId: id, passportSeries: '4509', passportNumber: '123456' } }),
  ],
  ['issueTemporaryPassword', 'operator', 'mutation ($i: IssueTemporaryPasswordInput!) { issueTemporaryPassword(input: $i) { errors { code } } }', (id) => ({ i: { userId: id } })],
  ['markNotificationsRead', 'citizen', 'mutation ($i: NotificationIdsInput!) { markNotificationsRead(input: $i) { errors { code } } }', (id) => ({ i: { ids: [id] } })],
  ['archiveNotifications', 'citizen', 'mutation ($i: NotificationIdsInput!) { archiveNotifications(input: $i) { errors { code } } }', (id) => ({ i: { ids: [id] } })],
  ['removePushDevice', 'citizen', 'mutation ($i: RemovePushDeviceInput!) { removePushDevice(input: $i) { errors { code } } }', (id) => ({ i: { deviceId: id } })],
  ['removeDocument', 'citizen', 'mutation ($i: RemoveDocumentInput!) { removeDocument(input: $i) { errors { code } } }', (id) => ({ i: { documentId: id } })],
  ['removeChild', 'citizen', 'mutation ($i: RemoveChildInput!) { removeChild(input: $i) { errors { code } } }', (id) => ({ i: { childId: id } })],
  ['removeVehicle', 'citizen', 'mutation ($i: RemoveVehicleInput!) { removeVehicle(input: $i) { errors { code } } }', (id) => ({ i: { vehicleId: id } })],
];

describe('Ids of another form', () => {
  it.each(OPERATIONS)('%s: answered as an id that names nothing, never INTERNAL_SERVER_ERROR', async (_name, who, query, variables) => {
    const answers = await Promise.all(ODD_IDS.map((id) => graph.request(query, { token: tokens[who], variables: variables(id) })));
    const codes = answers.flatMap((answer) => (answer.body.errors ?? []).map((error: { extensions?: { code?: string } }) => error.extensions?.code));
    expect(answers.map((answer) => answer.status).filter((status) => status >= 500)).toEqual([]);
    expect(codes.filter((code) => code === 'INTERNAL_SERVER_ERROR' || code === 'SERVICE_UNAVAILABLE')).toEqual([]);
  });
});
