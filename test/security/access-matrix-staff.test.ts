import { createPerson } from '../fixtures.ts';
import { describeMatrix, registeredOf, type Row, type Target } from './access-matrix.ts';

/**
 * The access matrix, staff and roles (access-matrix.test.ts has citizen against citizen): an
 * official of another authority tries A's appeals; the official of A's authority tries the rest of
 * A's data through the appeal's author; citizen B tries the operations of officials, operators,
 * coordinators and portal services. Each row at the gateway and at the owning subgraph (with the
 * gateway's credential), for the attacker and for an anonymous caller; the staff member whose work
 * it is runs the same request as its control.
 *
 * Which protections were removed by hand to see these rows go red, and which rows did: the
 * access matrix section of docs/security.md.
 */

const official = { by: 'official', expect: 'succeeds' } as const;
const PAYLOAD = '{ appeal { id number status text } errors { code } }';
const APPEALS = ['gateway', 'appeals'] as const satisfies Target[];

/** The officials' actions on an appeal: the state A's appeal is made in, and the input. */
const ACTIONS = [
  { mutation: 'takeAppealIntoWork', input: 'AppealIdInput', status: 'REGISTERED', extra: {} },
  { mutation: 'requestAppealClarification', input: 'AppealTextInput', status: 'IN_WORK', extra: { text: 'Уточните адрес.' } },
  { mutation: 'answerAppeal', input: 'AppealTextInput', status: 'IN_WORK', extra: { text: 'Яму заделают.' } },
  { mutation: 'redirectAppeal', input: 'RedirectAppealInput', status: 'REGISTERED', extra: { reason: 'Не наша дорога.' } },
  { mutation: 'rejectAppeal', input: 'AppealTextInput', status: 'REGISTERED', extra: { text: 'Отказать.' } },
  { mutation: 'extendAppealDueDate', input: 'ExtendAppealDueDateInput', status: 'IN_WORK', extra: { days: 10, reason: 'Нужна экспертиза.' } },
] as const;

/** An official's action on a fresh appeal of A's at Khimki, tried by `by`; Khimki's official is the control. */
const officialAction =
  (by: 'B' | 'otherOfficial') =>
  ({ mutation, input, status, extra }: (typeof ACTIONS)[number]): Row => ({
    type: 'Appeal',
    path: `${mutation}(appealId:)`,
    by,
    at: APPEALS,
    operation: `mutation ($i: ${input}!) { ${mutation}(input: $i) ${PAYLOAD} }`,
    variables: async (w) => ({
      i: { appealId: (await w.appealIn(status)).id, ...extra, ...(mutation === 'redirectAppeal' ? { authorityId: w.otherAuthorityId } : {}) },
    }),
    expected: 'FORBIDDEN',
    control: official,
  });

const APPEAL_AUTHOR = (selection: string) => `query ($id: ID!) { appeal(id: $id) { author { ${selection} } } }`;
/** The official of A's authority reads A's appeal, and through its author tries the rest of A's data; A is the control. */
const throughAuthor = (type: string, selection: string, expected: Row['expected'] = 'FORBIDDEN'): Row => ({
  type,
  path: `appeal(id:) { author { ${selection.split(' ')[0]} } }`,
  by: 'official',
  operation: APPEAL_AUTHOR(selection),
  variables: (_w, a) => ({ id: registeredOf(a) }),
  expected,
  control: { expect: 'reveals' },
});

const otherAuthority: Row[] = [
  {
    type: 'Appeal',
    path: 'appeal(id:)',
    by: 'otherOfficial',
    at: APPEALS,
    operation: 'query ($id: ID!) { appeal(id: $id) { id number text } }',
    variables: (_w, a) => ({ id: registeredOf(a) }),
    expected: 'FORBIDDEN',
    control: { by: 'official', expect: 'reveals' },
  },
  {
    type: 'Appeal',
    path: 'authorityAppeals (the queue)',
    by: 'otherOfficial',
    at: APPEALS,
    operation: '{ authorityAppeals { totalCount edges { node { id number text } } } }',
    expected: { data: { authorityAppeals: { totalCount: 0, edges: [] } } },
    control: { by: 'official', expect: 'reveals' },
  },
  {
    type: 'Appeal',
    path: 'appeals _entities Appeal',
    by: 'otherOfficial',
    at: ['appeals'],
    operation: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Appeal { id number text } } }',
    variables: (_w, a) => ({ r: [{ __typename: 'Appeal', id: registeredOf(a) }] }),
    expected: 'FORBIDDEN',
    control: { by: 'official', expect: 'reveals' },
  },
  ...ACTIONS.map(officialAction('otherOfficial')),
];

const authorsOtherData: Row[] = [
  throughAuthor('PersonalData', 'profile { lastName birthDate }'),
  throughAuthor('User (contacts, identity)', 'phone email'),
  throughAuthor('Session', 'sessions { edges { node { id } } }'),
  throughAuthor('SecurityEvent', 'securityEvents { edges { node { id } } }'),
  throughAuthor('Document', 'documents { id ... on RussianPassport { number } ... on Snils { number } }'),
  throughAuthor('Child', 'children { id firstName }'),
  throughAuthor('Vehicle', 'vehicles { id registrationPlate }'),
  throughAuthor('Notification', 'notifications { edges { node { id title } } }'),
  throughAuthor('NotificationPreferences', 'notificationPreferences { pushDevices { id name } }'),
  throughAuthor('Appeal (the author’s list)', 'appeals { edges { node { id number } } }'),
];

const FIND_A = (selection: string) => `query ($l: String!) { findAccount(login: $l) { ${selection} } }`;
/** The operator finds A (CONFIRMED) by phone, and tries what an operator has no need of. */
const operatorFindsA = (type: string, selection: string, expected: Row['expected']): Row => ({
  type,
  path: `findAccount(login:) { ${selection.split(' ')[0]} }`,
  by: 'operator',
  operation: FIND_A(selection),
  variables: (w) => ({ l: w.people.A.phone }),
  expected,
  control: { none: 'findAccount is the operator’s alone; its control is the findAccount row below' },
});

const operatorsReach: Row[] = [
  operatorFindsA('Document', 'documents { id ... on RussianPassport { number } ... on Snils { number } }', { data: { findAccount: { documents: [] } } }),
  operatorFindsA('PersonalData', 'profile { lastName birthDate }', 'FORBIDDEN'),
  operatorFindsA('Child', 'children { id firstName }', 'FORBIDDEN'),
  operatorFindsA('Notification', 'notifications { edges { node { id title } } }', 'FORBIDDEN'),
  operatorFindsA('Appeal (the author’s list)', 'appeals { edges { node { id number } } }', 'FORBIDDEN'),
];

/** Citizen B tries what only staff or a portal service may do, aimed at A; the staff member is the control. */
const staffOperations: Row[] = [
  {
    type: 'User',
    path: 'findAccount(login: A’s phone)',
    at: ['gateway', 'identity'],
    operation: 'query ($l: String!) { findAccount(login: $l) { id email phone } }',
    variables: (w) => ({ l: w.people.A.phone }),
    expected: 'FORBIDDEN',
    control: { by: 'operator', expect: 'reveals' },
  },
  {
    type: 'User (level)',
    path: 'confirmIdentityInPerson(userId:)',
    at: ['gateway', 'identity'],
    operation: 'mutation ($i: ConfirmIdentityInPersonInput!) { confirmIdentityInPerson(input: $i) { user { id level } errors { code } } }',
    variables: (w) => ({ i: { userId: w.people.A.id, passportSeries: '4510', passportNumber: '000000' } }),
    expected: 'FORBIDDEN',
    control: { by: 'operator', expect: 'runs' },
  },
  {
    // Aimed at a person of its own: the operator's control ends every session of the account.
    type: 'User (password)',
    path: 'issueTemporaryPassword(userId:)',
    at: ['gateway', 'identity'],
    operation: 'mutation ($i: IssueTemporaryPasswordInput!) { issueTemporaryPassword(input: $i) { temporaryPassword errors { code } } }',
    variables: async (w) => ({ i: { userId: (await createPerson(w.graph, { level: 'STANDARD' })).id } }),
    expected: 'FORBIDDEN',
    control: { by: 'operator', expect: 'succeeds' },
  },
  {
    type: 'Appeal',
    path: 'authorityAppeals',
    at: APPEALS,
    operation: '{ authorityAppeals { totalCount edges { node { id number text } } } }',
    expected: 'FORBIDDEN',
    control: { by: 'official', expect: 'reveals' },
  },
  {
    type: 'AppealAnalytics',
    path: 'appealAnalytics',
    at: APPEALS,
    operation: '{ appealAnalytics(input: { from: "2020-01-01", to: "2030-12-31" }) { totalCount } }',
    expected: 'FORBIDDEN',
    control: { by: 'coordinator', expect: 'runs' },
  },
  ...ACTIONS.map(officialAction('B')),
  {
    type: 'Notification',
    path: 'postNotification(userId:)',
    at: ['gateway', 'notifications'],
    operation: 'mutation ($i: PostNotificationInput!) { postNotification(input: $i) { notification { id } errors { code } } }',
    variables: (w) => ({ i: { userId: w.people.A.id, sourceId: 'forged-1', category: 'PAYMENT', kind: 'DEBTS_AND_FINES', title: 'Оплатите штраф по ссылке', body: 'Фишинг.' } }),
    expected: 'FORBIDDEN',
    control: { none: 'a portal service’s own token: test/notifications-feed.test.ts' },
  },
];

describeMatrix([
  ['An official of another authority reaching A’s appeals', otherAuthority],
  ['The official of A’s authority reaching the rest of A’s data through the appeal’s author', authorsOtherData],
  ['An operator reaching more of a confirmed person than the passport of an account waiting for confirmation', operatorsReach],
  ['A citizen trying official, operator, coordinator and service operations', staffOperations],
]);
