import { describe, expect, it } from 'vitest';
import { readConfig } from '../../lib/config.ts';
import { DevPushOutbox, pushSender, type PushMessage } from './push.ts';

const push: PushMessage = { platform: 'ANDROID', token: 'fcm:device-token-123456', title: 'Заявление принято', body: 'Ведомство приступило к рассмотрению.', link: null };

describe('push adapters', () => {
  it('the dev outbox keeps and prints a push by the token’s tail, and refuses an empty token as final', async () => {
    const lines: string[] = [];
    const outbox = new DevPushOutbox({ print: (line) => lines.push(line) });
    await outbox.send(push);
    expect(outbox.all()).toEqual([push]);
    expect(lines).toEqual(['[dev-push] ANDROID …123456: «Заявление принято» Ведомство приступило к рассмотрению.']);
    await expect(outbox.send({ ...push, token: ' ' })).rejects.toMatchObject({ channel: 'PUSH', message: 'push refused: empty device token', retryable: false });
  });

  it('push turned off refuses every push as final, and says which provider it is', async () => {
    const off = readConfig({ CHANNELS_OFF: 'PUSH' }, pushSender);
    expect([off.provider, readConfig({}, pushSender).provider]).toEqual(['off', 'dev outbox']);
    await expect(off.send(push)).rejects.toMatchObject({ channel: 'PUSH', message: 'PUSH is turned off (CHANNELS_OFF)', retryable: false });
  });
});
