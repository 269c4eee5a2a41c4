import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError, type ChannelAdapter, type MessageSender } from '../lib/delivery.ts';
import { contacts, deliveries, preferences, pushDevices } from '../subgraphs/notifications/db/schema.ts';
import type { Kind } from '../subgraphs/notifications/db/schema.ts';
import { BACKOFF_MS, createDeliveryWorker, MAX_ATTEMPTS } from '../subgraphs/notifications/delivery-worker.ts';
import { addItem } from '../subgraphs/notifications/domain/feed.ts';
import { createPerson, graphQLErrorCodes, lastCode, signIn, TEST_PASSWORD, type Person } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());
afterEach(() => graph.deliveries.useSenders());

const DELIVERIES = 'query ($id: ID!) { notification(id: $id) { deliveries { channel status scheduledFor sentAt attempts } } }';
const PREFERENCES = '{ me { notificationPreferences { kinds { kind channels } deliveryWindow { startsAt endsAt timeZone } pushDevices { name platform } } } }';
const UPDATE = `mutation ($i: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $i) {
  preferences { kinds { kind channels } deliveryWindow { startsAt endsAt timeZone } } errors { field code message } } }`;
const REGISTER = 'mutation ($i: RegisterPushDeviceInput!) { registerPushDevice(input: $i) { preferences { pushDevices { id name platform } } errors { field code message } } }';
const REMOVE = 'mutation ($i: RemovePushDeviceInput!) { removePushDevice(input: $i) { preferences { pushDevices { id } } errors { field code message } } }';

const DEFAULT_KINDS = [
  { kind: 'SERVICE_STAGES', channels: ['EMAIL', 'PUSH'] },
  { kind: 'PORTAL_CHANGES', channels: [] },
  { kind: 'DEBTS_AND_FINES', channels: ['EMAIL', 'PUSH'] },
  { kind: 'SECURITY', channels: ['EMAIL', 'SMS'] },
  { kind: 'OTHER', channels: ['EMAIL'] },
];

type Citizen = Person & { token: string };

/** A person whose registration notifications heard of, as identity tells it: with phone and e-mail. */
async function citizen(): Promise<Citizen> {
  const person = await createPerson(graph);
  await graph.bus.publish([
    {
      id: randomUUID(),
      type: 'identity.account-registered',
      occurredAt: new Date().toISOString(),
      payload: { userId: person.id, lastName: person.lastName, firstName: 'Тест', phone: person.phone, email: person.email },
    },
  ]);
  await graph.eventsSettled();
  return { ...person, token: await signIn(graph, person.phone) };
}

/** A feed item added the one way items enter the feed, as an event handler or a service post would. */
async function addFeedItem(userId: string, kind: Kind, title = 'Новый штраф ГИБДД: 500 ₽', body = 'Превышение скорости. Оплатите со скидкой 50 % до 10 декабря.'): Promise<string> {
  const { item } = await graph.databases.notifications.db.transaction((tx) => addItem(tx, { userId, category: 'PAYMENT', kind, title, body }));
  return item.id;
}

const deliveriesOf = async (person: Citizen, itemId: string) => (await graph.request(DELIVERIES, { token: person.token, variables: { id: itemId } })).body.data.notification.deliveries;
const channelsOf = async (person: Citizen, itemId: string) => (await deliveriesOf(person, itemId)).map((d: { channel: string; status: string }) => `${d.channel} ${d.status}`);
/** What the worker keeps and the API does not show: when the next attempt is due, and why the last failed. */
const storedOf = async (itemId: string) =>
  await graph.databases.notifications.db
    .select({ channel: deliveries.channel, dueAt: deliveries.dueAt, lastError: deliveries.lastError })
    .from(deliveries)
    .where(eq(deliveries.itemId, itemId))
    .orderBy(deliveries.channel);

/** An SMS gateway that is down; e-mail and push still work. */
const smsDown: MessageSender = {
  send: (message) => (message.channel === 'SMS' ? Promise.reject(new DeliveryError('SMS', 'SMS gateway answered HTTP 503', { status: 503 })) : graph.deliveries.messages.send(message)),
};

const pending = (channel: string) => ({ channel, status: 'PENDING', scheduledFor: null, sentAt: null, attempts: 0 });
const sent = (channel: string, attempts = 1) => ({ channel, status: 'SENT', scheduledFor: null, sentAt: expect.any(String), attempts });

describe('Notification preferences', () => {
  it('are the defaults for a person who never chose: security by e-mail and SMS, portal changes in the feed only', async () => {
    const person = await citizen();
    expect((await graph.request(PREFERENCES, { token: person.token })).body.data.me.notificationPreferences).toEqual({ kinds: DEFAULT_KINDS, deliveryWindow: null, pushDevices: [] });
  });

  it('change only what is given and are kept', async () => {
    const person = await citizen();
    const window = { startsAt: '08:00', endsAt: '22:30', timeZone: 'asia/yekaterinburg' };
    const first = await graph.request(UPDATE, { token: person.token, variables: { i: { kinds: [{ kind: 'PORTAL_CHANGES', channels: ['PUSH', 'EMAIL'] }], deliveryWindow: window } } });
    const expected = {
      kinds: DEFAULT_KINDS.map((kind) => (kind.kind === 'PORTAL_CHANGES' ? { kind: 'PORTAL_CHANGES', channels: ['EMAIL', 'PUSH'] } : kind)),
      deliveryWindow: { startsAt: '08:00', endsAt: '22:30', timeZone: 'Asia/Yekaterinburg' },
    };
    expect(first.body.data.updateNotificationPreferences).toEqual({ preferences: expected, errors: [] });
    const second = await graph.request(UPDATE, { token: person.token, variables: { i: { kinds: [{ kind: 'SECURITY', channels: ['SMS'] }] } } });
    expect(second.body.data.updateNotificationPreferences.preferences).toEqual({
      ...expected,
      kinds: expected.kinds.map((kind) => (kind.kind === 'SECURITY' ? { kind: 'SECURITY', channels: ['SMS'] } : kind)),
    });
    const cleared = await graph.request(UPDATE, { token: person.token, variables: { i: { clearDeliveryWindow: true } } });
    expect(cleared.body.data.updateNotificationPreferences.preferences.deliveryWindow).toBeNull();
  });

  it('refuse a change with every wrong field named, and change nothing', async () => {
    const person = await citizen();
    const { body } = await graph.request(UPDATE, {
      token: person.token,
      variables: {
        i: {
          kinds: [
            { kind: 'SECURITY', channels: [] },
            { kind: 'OTHER', channels: ['SMS'] },
          ],
          deliveryWindow: { startsAt: '9', endsAt: '18:00', timeZone: 'Europe/Atlantis' },
        },
      },
    });
    expect(body.data.updateNotificationPreferences).toEqual({
      preferences: null,
      errors: [
        { field: ['input', 'kinds', '0', 'channels'], code: 'SECURITY_CHANNEL_REQUIRED', message: 'Уведомления о безопасности нельзя отключить полностью: оставьте хотя бы один канал.' },
        { field: ['input', 'deliveryWindow', 'startsAt'], code: 'INVALID_FORMAT', message: 'Укажите время в формате ЧЧ:ММ, например 09:00.' },
        { field: ['input', 'deliveryWindow', 'timeZone'], code: 'UNKNOWN_TIME_ZONE', message: 'Неизвестный часовой пояс. Укажите его названием из базы IANA, например Europe/Moscow или Asia/Yekaterinburg.' },
      ],
    });
    expect((await graph.request(PREFERENCES, { token: person.token })).body.data.me.notificationPreferences.kinds).toEqual(DEFAULT_KINDS);
  });

  it('are read and changed by the person only', async () => {
    const person = await citizen();
    const stranger = await citizen();
    // Asked of notifications directly: through the gateway a person reaches only their own `me`.
    const direct = await fetch(graph.subgraphUrls.notifications, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stranger.token}` },
      body: JSON.stringify({
        query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { notificationPreferences { deliveryWindow { timeZone } } } } }',
        variables: { r: [{ __typename: 'User', id: person.id }] },
      }),
    });
    expect(graphQLErrorCodes((await direct.json()) as { errors?: { extensions?: { code?: string } }[] })).toEqual(['FORBIDDEN']);
    const anonymous = await graph.request(UPDATE, { variables: { i: { clearDeliveryWindow: true } } });
    expect(graphQLErrorCodes(anonymous.body)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('Channel deliveries', () => {
  it('follow the default preferences: a fine by e-mail, and by SMS instead of push while no app is installed', async () => {
    const person = await citizen();
    const itemId = await addFeedItem(person.id, 'DEBTS_AND_FINES');
    expect(await deliveriesOf(person, itemId)).toEqual([pending('EMAIL'), pending('SMS')]);
    await graph.deliveries.runOnce();
    expect(await deliveriesOf(person, itemId)).toEqual([sent('EMAIL'), sent('SMS')]);
    expect([...graph.deliveries.messages.messagesTo(person.email), ...graph.deliveries.messages.messagesTo(person.phone)]).toEqual([
      {
        channel: 'EMAIL',
        to: person.email,
        subject: 'Новый штраф ГИБДД: 500 ₽',
        text:
          'Превышение скорости. Оплатите со скидкой 50 % до 10 декабря.\n\n—\nЭто автоматическое уведомление портала Госуслуг, отвечать на него не нужно. ' +
          'Какие уведомления и когда получать, можно выбрать в настройках личного кабинета.',
      },
      { channel: 'SMS', to: person.phone, text: 'Новый штраф ГИБДД: 500 ₽. Превышение скорости. Оплатите со скидкой 50 % до 10 декабря.' },
    ]);
  });

  it('are none for portal changes by default, and follow the channels the person chose', async () => {
    const person = await citizen();
    expect(await deliveriesOf(person, await addFeedItem(person.id, 'PORTAL_CHANGES'))).toEqual([]);
    await graph.request(UPDATE, {
      token: person.token,
      variables: {
        i: {
          kinds: [
            { kind: 'PORTAL_CHANGES', channels: ['SMS'] },
            { kind: 'DEBTS_AND_FINES', channels: [] },
          ],
        },
      },
    });
    expect(await channelsOf(person, await addFeedItem(person.id, 'PORTAL_CHANGES'))).toEqual(['SMS PENDING']);
    expect(await deliveriesOf(person, await addFeedItem(person.id, 'DEBTS_AND_FINES'))).toEqual([]);
  });

  it('go by push to the registered app, and by SMS again once the device is removed', async () => {
    const person = await citizen();
    const token = `fcm:${randomUUID()}`;
    const registered = await graph.request(REGISTER, { token: person.token, variables: { i: { token, platform: 'ANDROID', name: 'Pixel Ивана' } } });
    const devices = registered.body.data.registerPushDevice.preferences.pushDevices;
    expect(registered.body.data.registerPushDevice).toEqual({ preferences: { pushDevices: [{ id: expect.any(String), name: 'Pixel Ивана', platform: 'ANDROID' }] }, errors: [] });

    const withApp = await addFeedItem(person.id, 'SERVICE_STAGES', 'Заявление принято', 'Ведомство приступило к рассмотрению заявления.');
    expect(await channelsOf(person, withApp)).toEqual(['EMAIL PENDING', 'PUSH PENDING']);
    await graph.deliveries.runOnce();
    expect(graph.deliveries.pushes.all().filter((push) => push.token === token)).toEqual([{ platform: 'ANDROID', token, title: 'Заявление принято', body: 'Ведомство приступило к рассмотрению заявления.', link: null }]);

    const removed = await graph.request(REMOVE, { token: person.token, variables: { i: { deviceId: devices[0].id } } });
    expect(removed.body.data.removePushDevice).toEqual({ preferences: { pushDevices: [] }, errors: [] });
    expect(await channelsOf(person, await addFeedItem(person.id, 'SERVICE_STAGES'))).toEqual(['EMAIL PENDING', 'SMS PENDING']);
    const again = await graph.request(REMOVE, { token: person.token, variables: { i: { deviceId: devices[0].id } } });
    expect(again.body.data.removePushDevice).toEqual({ preferences: null, errors: [{ field: ['input', 'deviceId'], code: 'NOT_FOUND', message: 'Устройство не найдено: возможно, оно уже удалено.' }] });
  });

  it('refuse a push token the platform could not have given', async () => {
    const person = await citizen();
    const { body } = await graph.request(REGISTER, { token: person.token, variables: { i: { token: 'not a token', platform: 'IOS' } } });
    expect(body.data.registerPushDevice).toEqual({
      preferences: null,
      errors: [{ field: ['input', 'token'], code: 'INVALID_FORMAT', message: 'Некорректный токен push-уведомлений: приложение должно передать токен, выданный платформой.' }],
    });
  });

  it('wait outside the delivery window for its start in the person’s time zone; a security notice goes at once', async () => {
    const person = await citizen();
    // Yekaterinburg is UTC+5 all year: a window from two hours on starts at the top of the UTC hour two hours on.
    const now = new Date();
    const localHour = (now.getUTCHours() + 5) % 24;
    const hh = (hour: number) => `${String(hour % 24).padStart(2, '0')}:00`;
    await graph.request(UPDATE, { token: person.token, variables: { i: { deliveryWindow: { startsAt: hh(localHour + 2), endsAt: hh(localHour + 3), timeZone: 'Asia/Yekaterinburg' } } } });
    const opens = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 2 * 3_600_000);

    const fine = await addFeedItem(person.id, 'OTHER', 'Письмо от ФНС России', 'Налоговое уведомление за 2025 год.');
    expect(await deliveriesOf(person, fine)).toEqual([{ channel: 'EMAIL', status: 'SCHEDULED', scheduledFor: opens.toISOString(), sentAt: null, attempts: 0 }]);

    await graph.bus.publish([
      {
        id: randomUUID(),
        type: 'identity.security-event',
        occurredAt: now.toISOString(),
        payload: { userId: person.id, eventId: randomUUID(), kind: 'NEW_DEVICE_LOGIN', title: 'Вход с нового устройства', body: 'Выполнен вход: Firefox, Екатеринбург.', occurredAt: now.toISOString() },
      },
    ]);
    await graph.eventsSettled();
    const security = (await graph.request('{ me { notifications(first: 1, category: ACCOUNT) { edges { node { id kind } } } } }', { token: person.token })).body.data.me.notifications.edges[0].node;
    expect(security.kind).toBe('SECURITY');
    expect(await deliveriesOf(person, security.id)).toEqual([pending('EMAIL'), pending('SMS')]);

    await graph.deliveries.runOnce();
    expect(await deliveriesOf(person, security.id)).toEqual([sent('EMAIL'), sent('SMS')]);
    expect(await deliveriesOf(person, fine)).toEqual([{ channel: 'EMAIL', status: 'SCHEDULED', scheduledFor: opens.toISOString(), sentAt: null, attempts: 0 }]);
    await graph.deliveries.runOnce(opens);
    expect(await deliveriesOf(person, fine)).toEqual([{ ...sent('EMAIL'), sentAt: opens.toISOString() }]);
  });

  it('that wait for the window go at once when the person removes the window', async () => {
    const person = await citizen();
    const localHour = (new Date().getUTCHours() + 3) % 24;
    const hh = (hour: number) => `${String(hour % 24).padStart(2, '0')}:00`;
    await graph.request(UPDATE, { token: person.token, variables: { i: { deliveryWindow: { startsAt: hh(localHour + 2), endsAt: hh(localHour + 3), timeZone: 'Europe/Moscow' } } } });
    const itemId = await addFeedItem(person.id, 'OTHER');
    expect(await channelsOf(person, itemId)).toEqual(['EMAIL SCHEDULED']);
    await graph.request(UPDATE, { token: person.token, variables: { i: { clearDeliveryWindow: true } } });
    expect(await deliveriesOf(person, itemId)).toEqual([pending('EMAIL')]);
  });

  it('that come due outside a window set meanwhile wait for it, without an attempt', async () => {
    const person = await citizen();
    const itemId = await addFeedItem(person.id, 'OTHER');
    const now = new Date();
    const localHour = (now.getUTCHours() + 3) % 24;
    const hh = (hour: number) => `${String(hour % 24).padStart(2, '0')}:00`;
    await graph.request(UPDATE, { token: person.token, variables: { i: { deliveryWindow: { startsAt: hh(localHour + 2), endsAt: hh(localHour + 3), timeZone: 'Europe/Moscow' } } } });
    await graph.deliveries.runOnce();
    const opens = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 2 * 3_600_000);
    expect(await deliveriesOf(person, itemId)).toEqual([{ channel: 'EMAIL', status: 'SCHEDULED', scheduledFor: opens.toISOString(), sentAt: null, attempts: 0 }]);
  });

  it('are shared by several workers, each sent once', async () => {
    const person = await citizen();
    const titles = Array.from({ length: 30 }, (_, n) => `Заявление № ${n + 1} принято`);
    for (const title of titles) await addFeedItem(person.id, 'OTHER', title, 'Ведомство приступило к рассмотрению.');
    const subjects: string[] = [];
    const sender: ChannelAdapter = { provider: 'test', send: async (message) => void (message.to === person.email && message.channel === 'EMAIL' && subjects.push(message.subject)) };
    const workers = [1, 2, 3].map(() =>
      createDeliveryWorker(graph.databases.notifications, { adapters: { SMS: sender, EMAIL: sender, PUSH: graph.deliveries.pushes }, portalUrl: 'https://portal.test', batchSize: 4, log: false }),
    );
    await Promise.all(workers.map((worker) => worker.runOnce()));
    expect(subjects.sort()).toEqual([...titles].sort());
  });

  it('of a failed channel are tried again with growing pauses, and SENT when the provider takes them', async () => {
    const person = await citizen();
    graph.deliveries.useSenders({ sender: smsDown });
    const itemId = await addFeedItem(person.id, 'SECURITY', 'Пароль изменён', 'Если это были не вы, восстановите доступ.');
    const first = new Date();
    await graph.deliveries.runOnce(first);
    expect(await deliveriesOf(person, itemId)).toEqual([
      { ...sent('EMAIL'), sentAt: first.toISOString() },
      { ...pending('SMS'), attempts: 1 },
    ]);
    expect((await storedOf(itemId))[1]).toEqual({ channel: 'SMS', dueAt: new Date(first.getTime() + BACKOFF_MS[0]!), lastError: 'SMS gateway answered HTTP 503' });

    // Not before the pause is over.
    await graph.deliveries.runOnce(new Date(first.getTime() + BACKOFF_MS[0]! - 1000));
    expect((await deliveriesOf(person, itemId))[1].attempts).toBe(1);

    const second = new Date(first.getTime() + BACKOFF_MS[0]!);
    await graph.deliveries.runOnce(second);
    expect((await storedOf(itemId))[1]).toEqual({ channel: 'SMS', dueAt: new Date(second.getTime() + BACKOFF_MS[1]!), lastError: 'SMS gateway answered HTTP 503' });

    graph.deliveries.useSenders();
    const third = new Date(second.getTime() + BACKOFF_MS[1]!);
    await graph.deliveries.runOnce(third);
    expect(await deliveriesOf(person, itemId)).toEqual([
      { ...sent('EMAIL'), sentAt: first.toISOString() },
      { ...sent('SMS', 3), sentAt: third.toISOString() },
    ]);
    expect(graph.deliveries.messages.messagesTo(person.phone)).toEqual([{ channel: 'SMS', to: person.phone, text: 'Пароль изменён. Если это были не вы, восстановите доступ.' }]);
  });

  it(`are FAILED after ${MAX_ATTEMPTS} attempts and not tried again`, async () => {
    const person = await citizen();
    let tries = 0;
    graph.deliveries.useSenders({
      sender: {
        send: async (message) => {
          if (message.to === person.email) tries++;
          throw new DeliveryError(message.channel, 'SMTP delivery failed: connection refused');
        },
      },
    });
    const itemId = await addFeedItem(person.id, 'OTHER');
    let at = new Date();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await graph.deliveries.runOnce(at);
      at = (await storedOf(itemId))[0]!.dueAt;
    }
    expect(await deliveriesOf(person, itemId)).toEqual([{ channel: 'EMAIL', status: 'FAILED', scheduledFor: null, sentAt: null, attempts: MAX_ATTEMPTS }]);
    await graph.deliveries.runOnce(new Date(Date.now() + 30 * 86_400_000));
    expect(tries).toBe(MAX_ATTEMPTS);
    expect((await storedOf(itemId))[0]!.lastError).toBe('SMTP delivery failed: connection refused');
  });

  it('are FAILED at once on a final refusal, and SENT when one of the person’s devices takes the push', async () => {
    const person = await citizen();
    const [broken, working] = [`fcm:${randomUUID()}`, `fcm:${randomUUID()}`];
    for (const token of [broken, working]) await graph.request(REGISTER, { token: person.token, variables: { i: { token, platform: 'ANDROID' } } });
    graph.deliveries.useSenders({
      sender: { send: (message) => Promise.reject(new DeliveryError(message.channel, 'SMTP delivery failed: 550 no such user', { retryable: false })) },
      push: { send: (push) => (push.token === broken ? Promise.reject(new DeliveryError('PUSH', 'push service answered HTTP 503', { status: 503 })) : graph.deliveries.pushes.send(push)) },
    });
    const itemId = await addFeedItem(person.id, 'SERVICE_STAGES', 'Заявление принято', 'Ведомство приступило к рассмотрению заявления.');
    const at = new Date();
    await graph.deliveries.runOnce(at);
    expect(await deliveriesOf(person, itemId)).toEqual([
      { channel: 'EMAIL', status: 'FAILED', scheduledFor: null, sentAt: null, attempts: 1 },
      { ...sent('PUSH'), sentAt: at.toISOString() },
    ]);
    expect((await storedOf(itemId))[0]!.lastError).toBe('SMTP delivery failed: 550 no such user');
    expect(
      graph.deliveries.pushes
        .all()
        .filter((push) => push.token === working || push.token === broken)
        .map((push) => push.token),
    ).toEqual([working]);
  });

  it('of a page of items are read in one query', async () => {
    const person = await citizen();
    for (const kind of ['OTHER', 'SECURITY', 'DEBTS_AND_FINES'] as const) await addFeedItem(person.id, kind);
    const before = graph.statements.notifications.length;
    const { body } = await graph.request('{ me { notifications(first: 10) { edges { node { kind deliveries { channel } } } } } }', { token: person.token });
    const nodes = body.data.me.notifications.edges.map((edge: { node: { kind: string } }) => edge.node);
    expect(nodes.sort((a: { kind: string }, b: { kind: string }) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: 'DEBTS_AND_FINES', deliveries: [{ channel: 'EMAIL' }, { channel: 'SMS' }] },
      { kind: 'OTHER', deliveries: [{ channel: 'EMAIL' }] },
      { kind: 'SECURITY', deliveries: [{ channel: 'EMAIL' }, { channel: 'SMS' }] },
    ]);
    expect(graph.statements.notifications.slice(before).filter((statement) => statement.includes('from "notifications"."deliveries"'))).toHaveLength(1);
  });
});

describe('Contacts for deliveries', () => {
  it('follow a confirmed phone change: the next SMS goes to the new number', async () => {
    const person = await citizen();
    const newPhone = `+7955${person.phone.slice(-7)}`;
    const started = await graph.request('mutation ($i: StartContactChangeInput!) { startContactChange(input: $i) { codeSent { requestId } } }', {
      token: person.token,
      variables: { i: { phone: newPhone, password: TEST_PASSWORD } },
    });
    await graph.request('mutation ($i: ConfirmCodeInput!) { confirmContactChange(input: $i) { errors { code } } }', {
      token: person.token,
      variables: { i: { requestId: started.body.data.startContactChange.codeSent.requestId, code: lastCode(graph, newPhone) } },
    });
    await graph.eventsSettled();
    expect(await graph.databases.notifications.db.select({ phone: contacts.phone, email: contacts.email }).from(contacts).where(eq(contacts.userId, person.id))).toEqual([{ phone: newPhone, email: person.email }]);
    const itemId = await addFeedItem(person.id, 'SECURITY', 'Телефон изменён', 'Номер телефона в учётной записи изменён.');
    await graph.deliveries.runOnce();
    expect(await channelsOf(person, itemId)).toEqual(['EMAIL SENT', 'SMS SENT']);
    expect(graph.deliveries.messages.messagesTo(newPhone).map((message) => message.text)).toContain('Телефон изменён. Номер телефона в учётной записи изменён.');
  });

  it('and everything else delivery keeps are erased with the account', async () => {
    const person = await citizen();
    await graph.request(UPDATE, { token: person.token, variables: { i: { kinds: [{ kind: 'OTHER', channels: ['SMS'] }] } } });
    await graph.request(REGISTER, { token: person.token, variables: { i: { token: `apns${randomUUID().replaceAll('-', '')}`, platform: 'IOS' } } });
    await addFeedItem(person.id, 'OTHER');
    await graph.request('mutation ($i: DeleteAccountInput!) { deleteAccount(input: $i) { errors { code } } }', { token: person.token, variables: { i: { password: TEST_PASSWORD } } });
    await graph.eventsSettled();
    const { db } = graph.databases.notifications;
    const left = await Promise.all([contacts, preferences, pushDevices, deliveries].map((table) => db.select({ userId: table.userId }).from(table).where(eq(table.userId, person.id))));
    expect(left).toEqual([[], [], [], []]);
  });
});
