import { describeMatrix, DOCUMENTS, draftOf, registeredOf, DOCUMENT_TYPENAMES, type Cabinet, type Row, type World } from './access-matrix.ts';

/**
 * The access matrix, citizen against citizen: B, signed in, tries every path to A's data — the
 * gateway's queries and mutations with A's ids, and `_entities` straight at each subgraph with the
 * gateway's credential and B's token. Each row runs for B and for an anonymous caller; A's own
 * request on the same path is its control. Officials and staff operations: access-matrix-staff.test.ts;
 * subscriptions: access-matrix-subscriptions.test.ts. What each refusal means: ./access-matrix.ts.
 *
 * Which protections were removed by hand to see these rows go red, and which rows did: the
 * access matrix section of docs/security.md.
 */

const entities = (selection: string) => `query ($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`;
const userA = (_world: World, cabinet: Cabinet) => ({ r: [{ __typename: 'User', id: cabinet.id }] });
const documentOf = (cabinet: Cabinet, type: string) => cabinet.documents.find((document) => document.type === type)!.id;
const reveals = { expect: 'reveals' } as const;
const succeeds = { expect: 'succeeds' } as const;

const APPEAL = 'query ($id: ID!) { appeal(id: $id) { id number text status } }';

const queries: Row[] = [
  { type: 'Appeal', path: 'appeal(id:) — a registered appeal', operation: APPEAL, at: ['gateway', 'appeals'], variables: (_w, a) => ({ id: registeredOf(a) }), expected: 'FORBIDDEN', control: reveals },
  { type: 'Appeal', path: 'appeal(id:) — a draft', operation: APPEAL, at: ['gateway', 'appeals'], variables: (_w, a) => ({ id: draftOf(a) }), expected: 'FORBIDDEN', control: reveals },
  {
    type: 'Notification',
    path: 'notification(id:)',
    operation: 'query ($id: ID!) { notification(id: $id) { id title body } }',
    at: ['gateway', 'notifications'],
    variables: (_w, a) => ({ id: a.notifications.edges[0]!.node.id }),
    expected: { data: { notification: null } },
    control: reveals,
  },
  {
    type: 'User (every part)',
    path: 'appeal(id:) { author { … } }',
    operation:
      'query ($id: ID!) { appeal(id: $id) { author { phone profile { lastName } documents { id } children { id } vehicles { id } notifications { totalCount } appeals { totalCount } sessions { edges { node { id } } } } } }',
    variables: (_w, a) => ({ id: registeredOf(a) }),
    expected: 'FORBIDDEN',
    control: reveals,
  },
];

/** `_entities` straight at the subgraph that resolves the entity, with the gateway's credential and B's token. */
const entityRows: Row[] = [
  { type: 'User (account, contacts)', path: 'identity _entities User', at: ['identity'], operation: entities('... on User { phone email snils }'), variables: userA, expected: 'FORBIDDEN', control: reveals },
  {
    type: 'Session',
    path: 'identity _entities User.sessions',
    at: ['identity'],
    operation: entities('... on User { sessions { edges { node { id userAgent } } } }'),
    variables: userA,
    expected: 'FORBIDDEN',
    control: reveals,
  },
  {
    type: 'SecurityEvent',
    path: 'identity _entities User.securityEvents',
    at: ['identity'],
    operation: entities('... on User { securityEvents { edges { node { id kind } } } }'),
    variables: userA,
    expected: 'FORBIDDEN',
    control: reveals,
  },
  { type: 'PersonName', path: 'profile _entities User.name', at: ['profile'], operation: entities('... on User { name { lastName firstName } }'), variables: userA, expected: 'FORBIDDEN', control: reveals },
  {
    type: 'PersonalData',
    path: 'profile _entities User.profile',
    at: ['profile'],
    operation: entities('... on User { profile { lastName firstName birthDate } }'),
    variables: userA,
    expected: 'FORBIDDEN',
    control: reveals,
  },
  ...Object.entries(DOCUMENT_TYPENAMES).map(([, typename]): Row => ({
    type: typename,
    path: 'profile _entities User.documents',
    at: ['profile'],
    operation: entities(`... on User { documents { id ... on ${typename} { number } } }`),
    variables: userA,
    expected: 'FORBIDDEN',
    control: reveals,
  })),
  { type: 'Child', path: 'profile _entities User.children', at: ['profile'], operation: entities('... on User { children { id lastName firstName } }'), variables: userA, expected: 'FORBIDDEN', control: reveals },
  { type: 'Vehicle', path: 'profile _entities User.vehicles', at: ['profile'], operation: entities('... on User { vehicles { id registrationPlate vin } }'), variables: userA, expected: 'FORBIDDEN', control: reveals },
  {
    type: 'ProfileChange',
    path: 'profile _entities User.profileHistory',
    at: ['profile'],
    operation: entities('... on User { profileHistory { edges { node { subjectName changes { after } } } } }'),
    variables: userA,
    expected: 'FORBIDDEN',
    control: reveals,
  },
  {
    type: 'ApplicationPrefill',
    path: 'profile _entities User.applicationPrefill',
    at: ['profile'],
    operation: entities('... on User { applicationPrefill { lastName snils inn } }'),
    variables: userA,
    expected: 'FORBIDDEN',
    control: reveals,
  },
  {
    type: 'Notification',
    path: 'notifications _entities User.notifications',
    at: ['notifications'],
    operation: entities('... on User { notifications { edges { node { id title } } } }'),
    variables: userA,
    expected: 'FORBIDDEN',
    control: reveals,
  },
  {
    type: 'NotificationPreferences',
    path: 'notifications _entities User.notificationPreferences',
    at: ['notifications'],
    operation: entities('... on User { notificationPreferences { deliveryWindow { timeZone } pushDevices { id name } } }'),
    variables: userA,
    expected: 'FORBIDDEN',
    control: reveals,
  },
  {
    type: 'Notification',
    path: 'notifications _entities Notification',
    at: ['notifications'],
    operation: entities('... on Notification { id title body }'),
    variables: (_w, a) => ({ r: [{ __typename: 'Notification', id: a.notifications.edges[0]!.node.id }] }),
    expected: 'FORBIDDEN',
    control: reveals,
  },
  {
    type: 'Appeal',
    path: 'appeals _entities User.appeals',
    at: ['appeals'],
    operation: entities('... on User { appeals { edges { node { id number text } } } }'),
    variables: userA,
    expected: 'FORBIDDEN',
    control: reveals,
  },
  {
    type: 'Appeal',
    path: 'appeals _entities Appeal — a registered appeal',
    at: ['appeals'],
    operation: entities('... on Appeal { id number text }'),
    variables: (_w, a) => ({ r: [{ __typename: 'Appeal', id: registeredOf(a) }] }),
    expected: 'FORBIDDEN',
    control: reveals,
  },
  {
    type: 'Appeal',
    path: 'appeals _entities Appeal — a draft',
    at: ['appeals'],
    operation: entities('... on Appeal { id text }'),
    variables: (_w, a) => ({ r: [{ __typename: 'Appeal', id: draftOf(a) }] }),
    expected: 'FORBIDDEN',
    control: reveals,
  },
];

const DELETE = (mutation: string, input: string) => `mutation ($i: ${input}!) { ${mutation}(input: $i) { removedId errors { code } } }`;
const FEED_CHANGE = (mutation: string) => `mutation ($i: NotificationIdsInput!) { ${mutation}(input: $i) { updatedCount notifications { id title } } }`;
const feedChange = (mutation: string, archived: boolean): Row => ({
  type: 'Notification',
  path: `${mutation}(ids:)`,
  operation: FEED_CHANGE(mutation),
  at: ['gateway', 'notifications'],
  variables: async (w) => ({ i: { ids: [(await w.feedItem(archived)).id] } }),
  expected: { data: { [mutation]: { updatedCount: 0, notifications: [] } } },
  control: reveals,
});
const APPEAL_PAYLOAD = '{ appeal { id status } errors { code } }';

/** Mutations on A's objects, by id, at the gateway and at the owning subgraph. */
const mutations: Row[] = [
  ...Object.entries(DOCUMENTS).flatMap(([type, values]): Row[] => [
    {
      type: DOCUMENT_TYPENAMES[type]!,
      path: 'saveDocument(documentId:)',
      at: ['gateway', 'profile'],
      operation: 'mutation ($i: SaveDocumentInput!) { saveDocument(input: $i) { document { id } errors { code } } }',
      variables: (_w, a) => ({ i: { documentId: documentOf(a, type), ...values } }),
      expected: 'NOT_FOUND',
      control: succeeds,
    },
    {
      type: DOCUMENT_TYPENAMES[type]!,
      path: 'removeDocument(documentId:)',
      at: ['gateway', 'profile'],
      operation: DELETE('removeDocument', 'RemoveDocumentInput'),
      variables: (_w, a) => ({ i: { documentId: documentOf(a, type) } }),
      expected: 'NOT_FOUND',
      control: succeeds,
    },
  ]),
  {
    type: 'Child',
    path: 'saveChild(childId:)',
    at: ['gateway', 'profile'],
    operation: 'mutation ($i: ChildInput!) { saveChild(input: $i) { child { id } errors { code } } }',
    variables: (_w, a) => ({ i: { childId: a.children[0]!.id, lastName: 'Секретова', firstName: 'Василиса', sex: 'FEMALE', birthDate: '2016-05-05' } }),
    expected: 'NOT_FOUND',
    control: succeeds,
  },
  {
    type: 'Child',
    path: 'removeChild(childId:)',
    at: ['gateway', 'profile'],
    operation: DELETE('removeChild', 'RemoveChildInput'),
    variables: (_w, a) => ({ i: { childId: a.children[0]!.id } }),
    expected: 'NOT_FOUND',
    control: succeeds,
  },
  {
    type: 'Vehicle',
    path: 'saveVehicle(vehicleId:)',
    at: ['gateway', 'profile'],
    operation: 'mutation ($i: VehicleInput!) { saveVehicle(input: $i) { vehicle { id } errors { code } } }',
    variables: (_w, a) => ({ i: { vehicleId: a.vehicles[0]!.id, make: 'Лада', model: 'Веста', registrationPlate: 'А123ВС77', vin: 'XTAGFL110KY654321' } }),
    expected: 'NOT_FOUND',
    control: succeeds,
  },
  {
    type: 'Vehicle',
    path: 'removeVehicle(vehicleId:)',
    at: ['gateway', 'profile'],
    operation: DELETE('removeVehicle', 'RemoveVehicleInput'),
    variables: (_w, a) => ({ i: { vehicleId: a.vehicles[0]!.id } }),
    expected: 'NOT_FOUND',
    control: succeeds,
  },
  feedChange('markNotificationsRead', false),
  feedChange('markNotificationsUnread', false),
  feedChange('archiveNotifications', false),
  feedChange('unarchiveNotifications', true),
  {
    type: 'PushDevice (NotificationPreferences)',
    path: 'removePushDevice(deviceId:)',
    at: ['gateway', 'notifications'],
    operation: 'mutation ($i: RemovePushDeviceInput!) { removePushDevice(input: $i) { preferences { pushDevices { id name } } errors { code } } }',
    variables: (_w, a) => ({ i: { deviceId: a.notificationPreferences.pushDevices[0]!.id } }),
    expected: 'NOT_FOUND',
    control: succeeds,
  },
  {
    type: 'Session',
    path: 'revokeSession(sessionId:)',
    at: ['gateway', 'identity'],
    operation: 'mutation ($i: RevokeSessionInput!) { revokeSession(input: $i) { revokedCount errors { code } } }',
    variables: (_w, a) => ({ i: { sessionId: a.sessions.edges.find(({ node }) => !node.current)!.node.id } }),
    expected: 'SESSION_NOT_FOUND',
    control: succeeds,
  },
  {
    type: 'Appeal (draft)',
    path: 'saveAppealDraft(draftId:)',
    at: ['gateway', 'appeals'],
    operation: `mutation ($i: AppealDraftInput!) { saveAppealDraft(input: $i) ${APPEAL_PAYLOAD} }`,
    variables: (_w, a) => ({ i: { draftId: draftOf(a), text: 'Чужой текст поверх черновика.' } }),
    expected: 'NOT_FOUND',
    control: succeeds,
  },
  {
    type: 'Appeal (draft)',
    path: 'submitAppeal(draftId:)',
    at: ['gateway', 'appeals'],
    operation: `mutation ($i: AppealInput!) { submitAppeal(input: $i) ${APPEAL_PAYLOAD} }`,
    variables: (_w, a) => ({ i: { draftId: draftOf(a), topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', text: 'Отправляю чужой черновик от своего имени.' } }),
    expected: 'NOT_FOUND',
    control: succeeds,
  },
  {
    type: 'Appeal (draft)',
    path: 'deleteAppealDraft(appealId:)',
    at: ['gateway', 'appeals'],
    operation: `mutation ($i: AppealIdInput!) { deleteAppealDraft(input: $i) ${APPEAL_PAYLOAD} }`,
    variables: (_w, a) => ({ i: { appealId: draftOf(a) } }),
    expected: 'NOT_FOUND',
    control: succeeds,
  },
  {
    type: 'Appeal',
    path: 'replyToClarification(appealId:)',
    at: ['gateway', 'appeals'],
    operation: `mutation ($i: AppealTextInput!) { replyToClarification(input: $i) ${APPEAL_PAYLOAD} }`,
    variables: async (w) => ({ i: { appealId: (await w.appealIn('CLARIFICATION_REQUESTED')).id, text: 'Дом 17.' } }),
    expected: 'FORBIDDEN',
    control: succeeds,
  },
  {
    type: 'Appeal',
    path: 'rateAppealAnswer(appealId:)',
    at: ['gateway', 'appeals'],
    operation: `mutation ($i: RateAppealAnswerInput!) { rateAppealAnswer(input: $i) ${APPEAL_PAYLOAD} }`,
    variables: async (w) => ({ i: { appealId: (await w.appealIn('ANSWERED')).id, score: 1, comment: 'Плохо.' } }),
    expected: 'FORBIDDEN',
    control: succeeds,
  },
];

/** `_entities` and `_service` are not in the gateway's public schema, for anyone. */
const gatewaySchema: Row[] = (['A', 'B'] as const).flatMap((by): Row[] => [
  { type: 'User', path: `_entities at the gateway, as ${by}`, by, operation: entities('... on User { id phone }'), variables: userA, expected: 'INVALID', anonymous: 'INVALID', control: { none: 'refused for everyone' } },
  { type: 'the subgraphs’ SDL', path: `_service at the gateway, as ${by}`, by, operation: '{ _service { sdl } }', expected: 'INVALID', anonymous: 'INVALID', control: { none: 'refused for everyone' } },
]);

describeMatrix([
  ['Queries through the gateway (and at the owning subgraph) with A’s ids', queries],
  ['_entities straight at each subgraph, with the gateway’s credential', entityRows],
  ['Mutations on A’s objects', mutations],
  ['The gateway’s public schema', gatewaySchema],
]);
