import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../test/logs.ts';
import { ChannelRouter, DeliveryError, DevOutbox, HttpLetterSender, HttpSmsSender, SmtpSender, messageSender, type OutgoingMessage } from './delivery.ts';
import { ConfigError, readConfig } from './config.ts';

const sms = (to: string, text: string): OutgoingMessage => ({ channel: 'SMS', to, text });

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

describe('DevOutbox', () => {
  it('keeps messages per recipient, oldest first, and tells the last one', async () => {
    const outbox = new DevOutbox({ print: false });
    await outbox.send(sms('+79160000001', 'Код: 111111'));
    await outbox.send(sms('+79160000002', 'Код: 222222'));
    await outbox.send(sms('+79160000001', 'Код: 333333'));
    await outbox.send({ channel: 'EMAIL', to: 'ivanov@example.ru', subject: 'Код', text: 'Код: 444444' });

    expect(outbox.messagesTo('+79160000001')).toEqual([sms('+79160000001', 'Код: 111111'), sms('+79160000001', 'Код: 333333')]);
    expect(outbox.lastTo('+79160000001')).toEqual(sms('+79160000001', 'Код: 333333'));
    expect(outbox.lastTo('ivanov@example.ru')).toEqual({ channel: 'EMAIL', to: 'ivanov@example.ru', subject: 'Код', text: 'Код: 444444' });
    expect(outbox.lastTo('+79169999999')).toBeUndefined();
  });

  it('forgets the oldest messages past its bound', async () => {
    const outbox = new DevOutbox({ limit: 3, print: false });
    for (const n of [1, 2, 3, 4, 5]) await outbox.send(sms('+79160000001', `сообщение ${n}`));
    expect(outbox.all().map((message) => message.text)).toEqual(['сообщение 3', 'сообщение 4', 'сообщение 5']);
  });

  it('prints each message with a [dev-outbox] prefix, continuation lines indented', async () => {
    const lines: string[] = [];
    const outbox = new DevOutbox({ print: (line) => lines.push(line) });
    await outbox.send(sms('+79160000001', 'Код: 123456\nНикому его не сообщайте'));
    await outbox.send({ channel: 'POST', to: 'г. Москва, ул. Тверская, д. 1, кв. 1', recipientName: 'Иванов Иван Иванович', text: 'Код: 654321' });
    expect(lines).toEqual(['[dev-outbox] SMS to +79160000001: Код: 123456\n    Никому его не сообщайте', '[dev-outbox] POST letter to Иванов Иван Иванович, г. Москва, ул. Тверская, д. 1, кв. 1:\n    Код: 654321']);
  });

  it('in production (a DEV_OUTBOX trial) prints each message as one JSON log line, whatever its text holds', async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    const logs = captureLogs();
    try {
      const outbox = new DevOutbox();
      await outbox.send(sms('+79160000001', 'Код: 123456\n{"level":"info","msg":"forged"}'));
      expect(logs.text().split('\n').filter(Boolean)).toHaveLength(1);
      expect(logs.entries()).toEqual([expect.objectContaining({ level: 'warn', service: 'delivery', devOutbox: '[dev-outbox] SMS to +79160000001: Код: 123456\n    {"level":"info","msg":"forged"}' })]);
    } finally {
      logs.stop();
      if (before === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = before;
    }
  });

  it('keeps its own copy of a message', async () => {
    const outbox = new DevOutbox({ print: false });
    const message = { channel: 'SMS' as const, to: '+79160000001', text: 'Код: 111111' };
    await outbox.send(message);
    message.text = 'changed';
    expect(outbox.lastTo('+79160000001')?.text).toBe('Код: 111111');
  });

  it('refuses what a real provider would refuse: a phone not in E.164, a list of e-mail addresses', async () => {
    const outbox = new DevOutbox({ print: false });
    await expect(outbox.send(sms('89160000001', 'Код'))).rejects.toThrow(new DeliveryError('SMS', 'SMS message refused: recipient is not an E.164 phone number', { retryable: false }));
    await expect(outbox.send({ channel: 'EMAIL', to: 'ivanov@example.ru, thief@example.com', subject: 'Код', text: 'Код' })).rejects.toThrow('EMAIL message refused: recipient is not a single e-mail address');
    await expect(outbox.send({ channel: 'EMAIL', to: 'ivanov@example.ru', subject: 'Код\r\nBcc: thief@example.com', text: 'Код' })).rejects.toThrow('EMAIL message refused: subject is empty or has line breaks');
    expect(outbox.all()).toEqual([]);
  });

  it('waitFor answers with a message already kept, or the next matching one to arrive', async () => {
    const outbox = new DevOutbox({ print: false });
    await outbox.send(sms('+79160000001', 'Добро пожаловать'));
    expect(await outbox.waitFor('+79160000001')).toEqual(sms('+79160000001', 'Добро пожаловать'));

    const code = outbox.waitFor('+79160000001', (message) => /\d{6}/.test(message.text));
    await outbox.send(sms('+79160000002', 'Код: 000000'));
    await outbox.send(sms('+79160000001', 'Код: 123456'));
    expect(await code).toEqual(sms('+79160000001', 'Код: 123456'));
  });

  it('waitFor gives up after its timeout', async () => {
    const outbox = new DevOutbox({ print: false });
    await expect(outbox.waitFor('+79160000001', () => true, { timeoutMs: 20 })).rejects.toThrow('[dev-outbox] no matching message to +79160000001 within 20 ms');
  });
});

type Received = { method?: string; url?: string; headers: IncomingHttpHeaders; body: string };

/** A provider's HTTP endpoint on a free port: records each request, answers with `answer`. */
async function gateway(answer: (res: import('node:http').ServerResponse) => void, path = '/v1/sms') {
  const received: Received[] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      answer(res);
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}${path}`, received };
}

describe('HttpSmsSender', () => {
  it('posts { to, text } as JSON with the bearer token', async () => {
    const { url, received } = await gateway((res) => res.writeHead(202).end('{"id":"42"}'));
    await new HttpSmsSender({ url, token: 'secret-token' }).send(sms('+79160000001', 'Код для входа: 123456'));

    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: 'POST',
      url: '/v1/sms',
      headers: { authorization: 'Bearer secret-token', 'content-type': 'application/json' },
    });
    expect(JSON.parse(received[0]!.body)).toEqual({ to: '+79160000001', text: 'Код для входа: 123456' });
  });

  it('fails with the status, not the text, when the gateway answers 500', async () => {
    const { url } = await gateway((res) => res.writeHead(500).end('could not send "Код для входа: 123456"'));
    const sending = new HttpSmsSender({ url, token: 'secret-token' }).send(sms('+79160000001', 'Код для входа: 123456'));
    await expect(sending).rejects.toThrow(new DeliveryError('SMS', 'SMS gateway answered HTTP 500', { status: 500 }));
    await expect(sending).rejects.not.toThrow(/123456/);
    await expect(sending).rejects.toMatchObject({ status: 500, retryable: true });
  });

  it('fails when the gateway does not answer in time', async () => {
    const { url } = await gateway(() => {
      /* never answers */
    });
    const sender = new HttpSmsSender({ url, token: 'secret-token', timeoutMs: 100 });
    await expect(sender.send(sms('+79160000001', 'Код: 123456'))).rejects.toThrow(new DeliveryError('SMS', 'SMS gateway did not answer within 100 ms'));
  });

  it('fails clearly when nothing listens', async () => {
    const server = createHttpServer();
    const port = await listen(server);
    await closers.pop()!();
    const sender = new HttpSmsSender({ url: `http://127.0.0.1:${port}/`, token: 't' });
    const sending = sender.send(sms('+79160000001', 'Код: 123456'));
    await expect(sending).rejects.toThrow(/^SMS gateway unreachable: fetch failed: .*ECONNREFUSED/);
    await expect(sending).rejects.toMatchObject({ retryable: true });
  });
});

describe('HttpLetterSender', () => {
  const letter: OutgoingMessage = { channel: 'POST', to: '101000, г. Москва, ул. Мясницкая, д. 1, кв. 2', recipientName: 'Иванов Иван Иванович', text: 'Код подтверждения: K7M4P9QX' };

  it('posts { to, recipientName, text, registered } as JSON with the bearer token', async () => {
    const { url, received } = await gateway((res) => res.writeHead(201).end('{"id":"letter-1"}'), '/v1/letters');
    await new HttpLetterSender({ url, token: 'letter-token' }).send(letter);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/v1/letters', headers: { authorization: 'Bearer letter-token', 'content-type': 'application/json' } });
    expect(JSON.parse(received[0]!.body)).toEqual({ to: letter.to, recipientName: 'Иванов Иван Иванович', text: 'Код подтверждения: K7M4P9QX', registered: true });
  });

  it('classifies a failure: no answer, 408, 429 and 5xx may pass later, another 4xx is final; the text never in the error', async () => {
    for (const [status, retryable] of [
      [503, true],
      [429, true],
      [408, true],
      [400, false],
      [401, false],
      [422, false],
    ] as const) {
      const { url } = await gateway((res) => res.writeHead(status).end(`refused "${letter.text}"`));
      const sending = new HttpLetterSender({ url, token: 't' }).send(letter);
      await expect(sending).rejects.toThrow(`letter provider answered HTTP ${status}`);
      await expect(sending).rejects.toMatchObject({ channel: 'POST', status, retryable });
      await expect(sending).rejects.not.toThrow(/K7M4P9QX/);
    }
    const { url } = await gateway(() => {
      /* never answers */
    });
    const slow = new HttpLetterSender({ url, token: 't', timeoutMs: 100 }).send(letter);
    await expect(slow).rejects.toThrow('letter provider did not answer within 100 ms');
    await expect(slow).rejects.toMatchObject({ retryable: true });
  });

  it('refuses a letter without an address or a name before calling the provider, and other channels', async () => {
    const { url, received } = await gateway((res) => res.writeHead(200).end());
    const sender = new HttpLetterSender({ url, token: 't' });
    await expect(sender.send({ ...letter, recipientName: ' ' })).rejects.toMatchObject({ message: 'POST message refused: empty recipient name', retryable: false });
    await expect(sender.send(sms('+79160000001', 'Код: 1'))).rejects.toThrow('HttpLetterSender cannot send SMS');
    expect(received).toEqual([]);
  });
});

describe('SmtpSender', () => {
  /** The least of an SMTP server (RFC 5321): enough for one plain-text message over loopback. */
  async function smtpSink() {
    const mails: { from: string; to: string[]; data: string }[] = [];
    const server = createTcpServer((socket: Socket) => {
      const reply = (line: string) => socket.write(`${line}\r\n`);
      let from = '';
      let to: string[] = [];
      let data: string | null = null;
      let buffer = '';
      reply('220 sink ESMTP');
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\r\n')) >= 0) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (data !== null) {
            if (line === '.') {
              mails.push({ from, to, data });
              data = null;
              reply('250 OK queued');
            } else data += `${line.startsWith('..') ? line.slice(1) : line}\r\n`;
            continue;
          }
          const command = line.slice(0, 4).toUpperCase();
          if (command === 'EHLO') reply('250-sink\r\n250 8BITMIME');
          else if (command === 'HELO') reply('250 sink');
          else if (command === 'MAIL') ((from = /<(.*)>/.exec(line)?.[1] ?? ''), (to = []), reply('250 OK'));
          else if (command === 'RCPT') (to.push(/<(.*)>/.exec(line)?.[1] ?? ''), reply('250 OK'));
          else if (command === 'DATA') ((data = ''), reply('354 go ahead'));
          else if (command === 'QUIT') (reply('221 bye'), socket.end());
          else if (command === 'RSET') ((from = ''), (to = []), reply('250 OK'));
          else reply('502 not implemented');
        }
      });
      socket.on('error', () => {});
    });
    const port = await listen(server);
    return { url: `smtp://127.0.0.1:${port}`, mails };
  }

  /** Reads a text/plain body that nodemailer encoded as quoted-printable or base64. */
  function decodeBody(data: string): string {
    const [headers = '', body = ''] = data.split('\r\n\r\n');
    if (/content-transfer-encoding: base64/i.test(headers)) return Buffer.from(body, 'base64').toString('utf8');
    if (/content-transfer-encoding: quoted-printable/i.test(headers)) {
      const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, '%$1');
      return decodeURIComponent(bytes);
    }
    return body;
  }

  it('delivers a plain-text message to the one recipient through a real SMTP conversation', async () => {
    const { url, mails } = await smtpSink();
    const sender = new SmtpSender({ url, from: '"Госуслуги" <no-reply@gosuslugi.example>' });
    closers.push(async () => sender.close());
    await sender.send({ channel: 'EMAIL', to: 'ivanov@example.ru', subject: 'Код подтверждения', text: 'Ваш код: 123456' });

    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect({ from: mail.from, to: mail.to }).toEqual({ from: 'no-reply@gosuslugi.example', to: ['ivanov@example.ru'] });
    expect(mail.data).toMatch(/^To: ivanov@example\.ru\r$/m);
    expect(mail.data).toMatch(/^Auto-Submitted: auto-generated\r$/m);
    expect(mail.data).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(decodeBody(mail.data).trim()).toBe('Ваш код: 123456');
  });

  /** A server that answers the recipient (RCPT) with `reply`, everything else with 250. */
  async function refusingRecipient(reply: string) {
    const server = createTcpServer((socket) => {
      socket.setEncoding('utf8');
      socket.write('220 sink\r\n');
      socket.on('data', (chunk: string) => {
        for (const line of chunk.split('\r\n').filter(Boolean)) {
          const command = line.slice(0, 4).toUpperCase();
          socket.write(command === 'RCPT' ? `${reply}\r\n` : command === 'QUIT' ? '221 bye\r\n' : '250 OK\r\n');
        }
      });
      socket.on('error', () => {});
    });
    const sender = new SmtpSender({ url: `smtp://127.0.0.1:${await listen(server)}`, from: 'no-reply@gosuslugi.example' });
    closers.push(async () => sender.close());
    return sender;
  }
  const code = { channel: 'EMAIL', to: 'nobody@example.ru', subject: 'Код', text: 'Ваш код: 123456' } as const;

  it('fails clearly when the server refuses the recipient', async () => {
    const sending = (await refusingRecipient('550 no such user')).send(code);
    await expect(sending).rejects.toThrow(/^SMTP delivery failed: .*550 no such user/);
    await expect(sending).rejects.not.toThrow(/123456/);
    // The server's final no: a delivery worker does not try it again.
    await expect(sending).rejects.toMatchObject({ retryable: false });
  });

  it('classifies a 4xx reply and a server that is not there as failures that may pass later', async () => {
    await expect((await refusingRecipient('451 try again later')).send(code)).rejects.toMatchObject({ channel: 'EMAIL', retryable: true });
    const gone = createTcpServer();
    const port = await listen(gone);
    await closers.pop()!();
    const sender = new SmtpSender({ url: `smtp://127.0.0.1:${port}`, from: 'no-reply@gosuslugi.example' });
    closers.push(async () => sender.close());
    await expect(sender.send(code)).rejects.toMatchObject({ channel: 'EMAIL', retryable: true });
  });
});

describe('ChannelRouter', () => {
  it('sends each channel through its own sender', async () => {
    const [smsBox, emailBox, postBox] = [1, 2, 3].map(() => new DevOutbox({ print: false })) as [DevOutbox, DevOutbox, DevOutbox];
    const router = new ChannelRouter({ SMS: smsBox, EMAIL: emailBox, POST: postBox });
    await router.send(sms('+79160000001', 'Код: 1'));
    await router.send({ channel: 'EMAIL', to: 'ivanov@example.ru', subject: 'Код', text: 'Код: 2' });
    await router.send({ channel: 'POST', to: 'г. Москва', recipientName: 'Иванов И. И.', text: 'Код: 3' });
    expect([smsBox, emailBox, postBox].map((box) => box.all().map((message) => message.channel))).toEqual([['SMS'], ['EMAIL'], ['POST']]);
  });
});

describe('messageSender (the configuration of the channels)', () => {
  const providers = {
    SMS_GATEWAY_URL: 'https://sms.example/send',
    SMS_GATEWAY_TOKEN: 'token',
    SMTP_URL: 'smtps://user:pass@smtp.example:465',
    SMTP_FROM: 'no-reply@gosuslugi.example',
    LETTER_PROVIDER_URL: 'https://letters.example/v1/letters',
    LETTER_PROVIDER_TOKEN: 'letter-token',
  };
  const senderOf = (env: Record<string, string>, uses?: Parameters<typeof messageSender>[1]) => readConfig(env, (reader) => messageSender(reader, uses));
  /** The refusal's problems, one per variable. */
  const refusal = (env: Record<string, string>) => {
    try {
      senderOf(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    throw new Error('accepted');
  };
  const kinds = (router: ChannelRouter) => router.describe();

  it('in development sends everything to one dev outbox when nothing is configured', () => {
    const router = senderOf({});
    expect(kinds(router)).toBe('SMS → dev outbox, EMAIL → dev outbox, POST → dev outbox');
    expect(router.routes.SMS).toBe(router.routes.POST);
  });

  it('uses each provider where configured, each channel on its own', () => {
    expect(kinds(senderOf(providers))).toBe('SMS → SMS gateway, EMAIL → SMTP, POST → letter provider');
    expect(kinds(senderOf({ SMTP_URL: providers.SMTP_URL, SMTP_FROM: providers.SMTP_FROM }))).toBe('SMS → dev outbox, EMAIL → SMTP, POST → dev outbox');
  });

  it('turns off what CHANNELS_OFF lists, and what the service does not send', () => {
    const router = senderOf({ CHANNELS_OFF: 'POST, EMAIL' });
    expect(kinds(router)).toBe('SMS → dev outbox, EMAIL → off, POST → off');
    expect([router.available('SMS'), router.available('POST')]).toEqual([true, false]);
    expect(kinds(senderOf({}, ['SMS', 'EMAIL']))).toBe('SMS → dev outbox, EMAIL → dev outbox, POST → off');
  });

  it('names each adapter by its provider', () => {
    expect(Object.values(senderOf(providers).routes).map((adapter) => adapter.provider)).toEqual(['SMS gateway', 'SMTP', 'letter provider']);
  });

  it('an off channel refuses with a final error', async () => {
    await expect(senderOf({ CHANNELS_OFF: 'POST' }).send({ channel: 'POST', to: 'г. Москва', recipientName: 'Иванов И. И.', text: 'Код: 3' })).rejects.toMatchObject({
      message: 'POST is turned off (CHANNELS_OFF)',
      retryable: false,
    });
  });

  it('refuses half a configuration, a provider and "off" together, an unknown channel, a URL that is none', () => {
    expect(refusal({ SMS_GATEWAY_URL: providers.SMS_GATEWAY_URL, SMTP_URL: providers.SMTP_URL, LETTER_PROVIDER_URL: providers.LETTER_PROVIDER_URL })).toEqual([
      "SMS_GATEWAY_TOKEN: not set while SMS_GATEWAY_URL is; accepts the SMS gateway's bearer token",
      'SMTP_FROM: not set while SMTP_URL is; accepts the From address, "Госуслуги" <no-reply@example.ru>',
      "LETTER_PROVIDER_TOKEN: not set while LETTER_PROVIDER_URL is; accepts the letter provider's bearer token",
    ]);
    expect(refusal({ ...providers, CHANNELS_OFF: 'POST,FAX' })).toEqual([
      'CHANNELS_OFF: "FAX" is not a channel; accepts a comma-separated list of SMS, EMAIL, POST, PUSH',
      'CHANNELS_OFF: turns POST off while LETTER_PROVIDER_URL is set; accepts either a provider or the channel in CHANNELS_OFF, not both',
    ]);
    expect(refusal({ ...providers, SMTP_URL: 'smtp.example:465' })).toEqual(['SMTP_URL: not such a URL; accepts an absolute smtp:// or smtps:// URL']);
  });

  it('in production refuses every channel with neither a provider nor "off", naming its variable, in one refusal', () => {
    expect(refusal({ NODE_ENV: 'production' })).toEqual([
      'SMS_GATEWAY_URL: not set in production; accepts an https:// URL of the SMS gateway (with SMS_GATEWAY_TOKEN), or SMS in CHANNELS_OFF (DEV_OUTBOX=true prints SMS to the log instead, for a trial only)',
      'SMTP_URL: not set in production; accepts an smtp:// or smtps:// URL of the mail server (with SMTP_FROM), or EMAIL in CHANNELS_OFF (DEV_OUTBOX=true prints EMAIL to the log instead, for a trial only)',
      'LETTER_PROVIDER_URL: not set in production; accepts an https:// URL of the letter provider (with LETTER_PROVIDER_TOKEN), or POST in CHANNELS_OFF (DEV_OUTBOX=true prints POST to the log instead, for a trial only)',
    ]);
    expect(refusal({ NODE_ENV: 'production', ...providers, SMS_GATEWAY_URL: 'http://sms.example/send' })).toEqual(['SMS_GATEWAY_URL: not such a URL; accepts an absolute https:// URL']);
  });

  it('in production starts without DEV_OUTBOX: every channel a provider or off', () => {
    expect(kinds(senderOf({ NODE_ENV: 'production', ...providers }))).toBe('SMS → SMS gateway, EMAIL → SMTP, POST → letter provider');
    expect(kinds(senderOf({ NODE_ENV: 'production', SMTP_URL: providers.SMTP_URL, SMTP_FROM: providers.SMTP_FROM, CHANNELS_OFF: 'SMS,POST' }))).toBe('SMS → off, EMAIL → SMTP, POST → off');
  });

  it('in production takes the dev outbox only with DEV_OUTBOX=true, a trial, and says so', () => {
    const logs = captureLogs();
    try {
      const router = senderOf({ NODE_ENV: 'production', DEV_OUTBOX: 'true', SMTP_URL: providers.SMTP_URL, SMTP_FROM: providers.SMTP_FROM });
      expect(kinds(router)).toBe('SMS → dev outbox, EMAIL → SMTP, POST → dev outbox');
      expect(logs.entries().map(({ level, service, channels, msg }) => ({ level, service, channels, msg }))).toEqual([
        { level: 'warn', service: 'delivery', channels: 'SMS → dev outbox, EMAIL → SMTP, POST → dev outbox', msg: 'DEV_OUTBOX=true: dev-outbox messages are printed, not sent' },
      ]);
    } finally {
      logs.stop();
    }
  });
});
