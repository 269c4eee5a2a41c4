import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../test/logs.ts';
import {
  ChannelRouter,
  DeliveryError,
  DevOutbox,
  HttpSmsSender,
  SmtpSender,
  messageSenderFromEnv,
  type OutgoingMessage,
} from './delivery.ts';

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
    expect(lines).toEqual([
      '[dev-outbox] SMS to +79160000001: Код: 123456\n    Никому его не сообщайте',
      '[dev-outbox] POST letter to Иванов Иван Иванович, г. Москва, ул. Тверская, д. 1, кв. 1:\n    Код: 654321',
    ]);
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
    await expect(outbox.send(sms('89160000001', 'Код'))).rejects.toThrow(new DeliveryError('SMS', 'SMS message refused: recipient is not an E.164 phone number'));
    await expect(
      outbox.send({ channel: 'EMAIL', to: 'ivanov@example.ru, thief@example.com', subject: 'Код', text: 'Код' }),
    ).rejects.toThrow('EMAIL message refused: recipient is not a single e-mail address');
    await expect(
      outbox.send({ channel: 'EMAIL', to: 'ivanov@example.ru', subject: 'Код\r\nBcc: thief@example.com', text: 'Код' }),
    ).rejects.toThrow('EMAIL message refused: subject is empty or has line breaks');
    expect(outbox.all()).toEqual([]);
  });

  it('waitFor answers with a message already kept, or the next matching one to arrive', async () => {
    const outbox = new DevOutbox({ print: false });
    await outbox.send(sms('+79160000001', 'Добро пожаловать'));
    expect(await outbox.waitFor('+79160000001')).toEqual(sms('+79160000001', 'Добро пожаловать'));

    const code = outbox.waitFor('+79160000001', (message) => /\d{6}/.test(message.text));
    setTimeout(() => void outbox.send(sms('+79160000002', 'Код: 000000')), 5);
    setTimeout(() => void outbox.send(sms('+79160000001', 'Код: 123456')), 10);
    expect(await code).toEqual(sms('+79160000001', 'Код: 123456'));
  });

  it('waitFor gives up after its timeout', async () => {
    const outbox = new DevOutbox({ print: false });
    await expect(outbox.waitFor('+79160000001', () => true, { timeoutMs: 20 })).rejects.toThrow(
      '[dev-outbox] no matching message to +79160000001 within 20 ms',
    );
  });
});

describe('HttpSmsSender', () => {
  type Received = { method?: string; url?: string; headers: IncomingHttpHeaders; body: string };

  async function gateway(answer: (res: import('node:http').ServerResponse) => void) {
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
    return { url: `http://127.0.0.1:${port}/v1/sms`, received };
  }

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
  });

  it('fails when the gateway does not answer in time', async () => {
    const { url } = await gateway(() => {
      /* never answers */
    });
    const sender = new HttpSmsSender({ url, token: 'secret-token', timeoutMs: 100 });
    await expect(sender.send(sms('+79160000001', 'Код: 123456'))).rejects.toThrow(
      new DeliveryError('SMS', 'SMS gateway did not answer within 100 ms'),
    );
  });

  it('fails clearly when nothing listens', async () => {
    const server = createHttpServer();
    const port = await listen(server);
    await closers.pop()!();
    const sender = new HttpSmsSender({ url: `http://127.0.0.1:${port}/`, token: 't' });
    await expect(sender.send(sms('+79160000001', 'Код: 123456'))).rejects.toThrow(/^SMS gateway unreachable: fetch failed: .*ECONNREFUSED/);
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
          else if (command === 'MAIL') (from = /<(.*)>/.exec(line)?.[1] ?? ''), (to = []), reply('250 OK');
          else if (command === 'RCPT') to.push(/<(.*)>/.exec(line)?.[1] ?? ''), reply('250 OK');
          else if (command === 'DATA') (data = ''), reply('354 go ahead');
          else if (command === 'QUIT') reply('221 bye'), socket.end();
          else if (command === 'RSET') (from = ''), (to = []), reply('250 OK');
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

  it('fails clearly when the server refuses the recipient', async () => {
    const server = createTcpServer((socket) => {
      socket.setEncoding('utf8');
      socket.write('220 sink\r\n');
      socket.on('data', (chunk: string) => {
        for (const line of chunk.split('\r\n').filter(Boolean)) {
          const command = line.slice(0, 4).toUpperCase();
          socket.write(command === 'RCPT' ? '550 no such user\r\n' : command === 'QUIT' ? '221 bye\r\n' : '250 OK\r\n');
        }
      });
      socket.on('error', () => {});
    });
    const port = await listen(server);
    const sender = new SmtpSender({ url: `smtp://127.0.0.1:${port}`, from: 'no-reply@gosuslugi.example' });
    closers.push(async () => sender.close());
    const sending = sender.send({ channel: 'EMAIL', to: 'nobody@example.ru', subject: 'Код', text: 'Ваш код: 123456' });
    await expect(sending).rejects.toThrow(/^SMTP delivery failed: .*550 no such user/);
    await expect(sending).rejects.not.toThrow(/123456/);
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

describe('messageSenderFromEnv', () => {
  const providers = {
    SMS_GATEWAY_URL: 'https://sms.example/send',
    SMS_GATEWAY_TOKEN: 'token',
    SMTP_URL: 'smtps://user:pass@smtp.example:465',
    SMTP_FROM: 'no-reply@gosuslugi.example',
  };
  const kinds = (router: ChannelRouter) => ({
    SMS: router.routes.SMS.constructor.name,
    EMAIL: router.routes.EMAIL.constructor.name,
    POST: router.routes.POST.constructor.name,
  });

  it('in development sends everything to one dev outbox when nothing is configured', () => {
    const router = messageSenderFromEnv({});
    expect(kinds(router)).toEqual({ SMS: 'DevOutbox', EMAIL: 'DevOutbox', POST: 'DevOutbox' });
    expect(router.routes.SMS).toBe(router.routes.POST);
  });

  it('uses the SMS gateway and SMTP where configured, the dev outbox for letters', () => {
    const router = messageSenderFromEnv(providers);
    expect(kinds(router)).toEqual({ SMS: 'HttpSmsSender', EMAIL: 'SmtpSender', POST: 'DevOutbox' });
    expect(router.describe()).toBe('SMS → HTTP gateway, EMAIL → SMTP, POST → dev outbox');
  });

  it('configures each channel on its own', () => {
    expect(kinds(messageSenderFromEnv({ SMTP_URL: providers.SMTP_URL, SMTP_FROM: providers.SMTP_FROM }))).toEqual({
      SMS: 'DevOutbox',
      EMAIL: 'SmtpSender',
      POST: 'DevOutbox',
    });
  });

  it('refuses half a configuration', () => {
    expect(() => messageSenderFromEnv({ SMS_GATEWAY_URL: providers.SMS_GATEWAY_URL })).toThrow(
      'SMS_GATEWAY_URL is set but SMS_GATEWAY_TOKEN is not',
    );
    expect(() => messageSenderFromEnv({ SMTP_URL: providers.SMTP_URL })).toThrow('SMTP_URL is set but SMTP_FROM is not');
  });

  it('in production refuses at start-up every channel that is not configured, naming the variables', () => {
    expect(() => messageSenderFromEnv({ NODE_ENV: 'production' })).toThrow(
      'Outgoing messages are not configured for NODE_ENV=production:\n' +
        '  SMS: set SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN\n' +
        '  EMAIL: set SMTP_URL and SMTP_FROM\n' +
        '  POST: no postal provider is implemented; letters can only go to the dev outbox\n',
    );
    // Postal letters have no provider, so production always needs the explicit permission.
    expect(() => messageSenderFromEnv({ NODE_ENV: 'production', ...providers })).toThrow(
      'Outgoing messages are not configured for NODE_ENV=production:\n' +
        '  POST: no postal provider is implemented; letters can only go to the dev outbox\n' +
        'For a trial, DEV_OUTBOX=true sends these channels to the dev outbox, which prints every message, codes included, to the console.',
    );
  });

  it('in production refuses an SMS gateway that is not https', () => {
    expect(() =>
      messageSenderFromEnv({ NODE_ENV: 'production', DEV_OUTBOX: 'true', ...providers, SMS_GATEWAY_URL: 'http://sms.example/send' }),
    ).toThrow('SMS_GATEWAY_URL must be an https:// URL in production');
  });

  it('in production accepts the dev outbox only with DEV_OUTBOX=true, and says so', () => {
    const logs = captureLogs();
    try {
      const router = messageSenderFromEnv({ NODE_ENV: 'production', DEV_OUTBOX: 'true', SMTP_URL: providers.SMTP_URL, SMTP_FROM: providers.SMTP_FROM });
      expect(kinds(router)).toEqual({ SMS: 'DevOutbox', EMAIL: 'SmtpSender', POST: 'DevOutbox' });
      expect(logs.entries().map(({ level, service, channels, msg }) => ({ level, service, channels, msg }))).toEqual([
        { level: 'warn', service: 'delivery', channels: 'SMS → dev outbox, EMAIL → SMTP, POST → dev outbox', msg: 'DEV_OUTBOX=true: dev-outbox messages are printed, not sent' },
      ]);
    } finally {
      logs.stop();
    }
  });
});
