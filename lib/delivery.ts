import nodemailer from 'nodemailer';
import { devOutboxPrinter, logger } from './log.ts';

/**
 * Every SMS, e-mail and postal letter leaves the system through a `MessageSender`, so identity (and
 * later notifications) never talk to a provider directly and tests read what was "sent" from a
 * `DevOutbox`. Texts often carry one-time codes: no sender here logs a text or puts it into an error
 * message, except `DevOutbox`, whose whole point is to show them to a developer.
 */

export type OutgoingMessage =
  | { channel: 'SMS'; /** E.164, `+79161234567` */ to: string; text: string }
  | { channel: 'EMAIL'; /** one bare address, `ivanov@example.ru` */ to: string; subject: string; text: string }
  | {
      channel: 'POST';
      /** The postal address as printed on the envelope. */
      to: string;
      recipientName: string;
      text: string;
    };

export type Channel = OutgoingMessage['channel'];
export const CHANNELS: readonly Channel[] = ['SMS', 'EMAIL', 'POST'];

export interface MessageSender {
  /** Resolves once the provider has accepted the message; rejects with a `DeliveryError` otherwise. */
  send(message: OutgoingMessage): Promise<void>;
}

/** A message that was not sent. The message never includes the text: it may hold a code. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  /** The provider's HTTP status, when it answered with one. */
  readonly status: number | undefined;

  constructor(
    readonly channel: Channel,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
  }
}

const E164 = /^\+[1-9]\d{7,14}$/;
/** One address and nothing else: no display name, no list, no line breaks smuggled into headers. */
const SINGLE_EMAIL = /^[^\s@,;<>"()[\]\\]+@[^\s@,;<>"()[\]\\]+\.[^\s@,;<>"()[\]\\]+$/;

/**
 * The shape every provider needs, checked the same way by every sender so that a message the dev
 * outbox accepts is one a real provider would take. Recipients are not echoed: they are personal data.
 */
export function assertDeliverable(message: OutgoingMessage): void {
  const refuse = (why: string) => {
    throw new DeliveryError(message.channel, `${message.channel} message refused: ${why}`);
  };
  if (!message.text.trim()) refuse('empty text');
  switch (message.channel) {
    case 'SMS':
      if (!E164.test(message.to)) refuse('recipient is not an E.164 phone number');
      break;
    case 'EMAIL':
      // RFC 5321 allows 254 characters; the bound also keeps the regex from backtracking for long.
      if (message.to.length > 254 || !SINGLE_EMAIL.test(message.to)) refuse('recipient is not a single e-mail address');
      if (/[\r\n]/.test(message.subject) || !message.subject.trim()) refuse('subject is empty or has line breaks');
      break;
    case 'POST':
      if (!message.to.trim()) refuse('empty postal address');
      if (!message.recipientName.trim()) refuse('empty recipient name');
      break;
  }
}

// ---------------------------------------------------------------------------------------------------
// Development

type Waiter = {
  recipient: string;
  predicate: (message: OutgoingMessage) => boolean;
  resolve: (message: OutgoingMessage) => void;
};

export interface DevOutboxOptions {
  /** How many messages to keep; the oldest are forgotten first. */
  limit?: number;
  /** Where each message is printed; `false` keeps the console quiet (tests). */
  print?: ((line: string) => void) | false;
}

/**
 * The development sender: nothing leaves the machine. Keeps the last `limit` messages for tests and
 * tools, and prints each one with a `[dev-outbox]` prefix so a person running `npm start` sees their
 * SMS code. This is the only place where message texts, codes included, are printed.
 */
export class DevOutbox implements MessageSender {
  readonly limit: number;
  private readonly print: ((line: string) => void) | false;
  private kept: OutgoingMessage[] = [];
  private waiters = new Set<Waiter>();

  constructor(options: DevOutboxOptions = {}) {
    this.limit = options.limit ?? 100;
    if (!Number.isInteger(this.limit) || this.limit < 1) throw new Error('DevOutbox limit must be a positive integer');
    this.print = options.print ?? devOutboxPrinter('delivery');
  }

  async send(message: OutgoingMessage): Promise<void> {
    assertDeliverable(message);
    // A copy, so a caller changing its object later does not rewrite history.
    const copy = Object.freeze({ ...message });
    this.kept.push(copy);
    if (this.kept.length > this.limit) this.kept.splice(0, this.kept.length - this.limit);
    if (this.print) this.print(describeMessage(copy));
    for (const waiter of this.waiters) {
      if (waiter.recipient === copy.to && waiter.predicate(copy)) waiter.resolve(copy);
    }
  }

  /** Every kept message, oldest first. */
  all(): OutgoingMessage[] {
    return [...this.kept];
  }

  /** Kept messages to one recipient (phone, e-mail or postal address exactly as sent), oldest first. */
  messagesTo(recipient: string): OutgoingMessage[] {
    return this.kept.filter((message) => message.to === recipient);
  }

  lastTo(recipient: string): OutgoingMessage | undefined {
    return this.kept.findLast((message) => message.to === recipient);
  }

  /**
   * The newest kept message to `recipient` that matches, or else the next one to arrive: for code
   * paths that send in the background. Call `clear()` first when an older message could match too.
   */
  waitFor(
    recipient: string,
    predicate: (message: OutgoingMessage) => boolean = () => true,
    { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
  ): Promise<OutgoingMessage> {
    const kept = this.kept.findLast((message) => message.to === recipient && predicate(message));
    if (kept) return Promise.resolve(kept);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        recipient,
        predicate,
        resolve: (message) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`[dev-outbox] no matching message to ${recipient} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  clear(): void {
    this.kept = [];
  }
}

/** One readable block per message; continuation lines are indented so a text cannot pose as a log line. */
function describeMessage(message: OutgoingMessage): string {
  const indent = (text: string) => text.replace(/\r?\n/g, '\n    ');
  switch (message.channel) {
    case 'SMS':
      return `[dev-outbox] SMS to ${message.to}: ${indent(message.text)}`;
    case 'EMAIL':
      return `[dev-outbox] EMAIL to ${message.to}, subject «${message.subject}»:\n    ${indent(message.text)}`;
    case 'POST':
      return `[dev-outbox] POST letter to ${message.recipientName}, ${indent(message.to)}:\n    ${indent(message.text)}`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Providers

export interface HttpSmsSenderOptions {
  /** The gateway's endpoint; it receives `POST {"to": "+7…", "text": "…"}`. */
  url: string;
  token: string;
  /** A code that arrives after the person gave up is worthless: fail fast instead. */
  timeoutMs?: number;
}

/** SMS through an HTTP gateway: JSON `{ to, text }` with a bearer token; any 2xx means accepted. */
export class HttpSmsSender implements MessageSender {
  private readonly url: string;
  private readonly token: string;
  readonly timeoutMs: number;

  constructor(options: HttpSmsSenderOptions) {
    this.url = new URL(options.url).href;
    if (!options.token) throw new Error('HttpSmsSender needs a token');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async send(message: OutgoingMessage): Promise<void> {
    if (message.channel !== 'SMS') throw new DeliveryError(message.channel, `HttpSmsSender cannot send ${message.channel}`);
    assertDeliverable(message);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ to: message.to, text: message.text }),
        // A redirect could carry the token and the code somewhere else.
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new DeliveryError(
        'SMS',
        timedOut ? `SMS gateway did not answer within ${this.timeoutMs} ms` : `SMS gateway unreachable: ${describeCause(error)}`,
        { cause: error },
      );
    }
    // The body is never read into the error: a gateway may echo the text, code included.
    await response.body?.cancel().catch(() => {});
    if (!response.ok) {
      throw new DeliveryError('SMS', `SMS gateway answered HTTP ${response.status}`, { status: response.status });
    }
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

export interface SmtpSenderOptions {
  /** `smtps://user:pass@host:465` or `smtp://host:587?requireTLS=true`, as nodemailer reads it. */
  url: string;
  /** The From header, `"Госуслуги" <no-reply@example.ru>`. */
  from: string;
  timeoutMs?: number;
}

/** E-mail over SMTP with nodemailer: plain text, one recipient per message. */
export class SmtpSender implements MessageSender {
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(options: SmtpSenderOptions) {
    const timeout = options.timeoutMs ?? 15_000;
    // nodemailer's defaults wait minutes for a silent server; a person is waiting for the code.
    this.transport = nodemailer.createTransport(
      { url: options.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout },
      { from: options.from },
    );
  }

  async send(message: OutgoingMessage): Promise<void> {
    if (message.channel !== 'EMAIL') throw new DeliveryError(message.channel, `SmtpSender cannot send ${message.channel}`);
    assertDeliverable(message);
    try {
      await this.transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        // RFC 3834: automatic mail, so out-of-office robots do not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      throw new DeliveryError('EMAIL', `SMTP delivery failed: ${describeCause(error)}`, { cause: error });
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** Sends each channel through its own sender. */
export class ChannelRouter implements MessageSender {
  constructor(readonly routes: Readonly<Record<Channel, MessageSender>>) {}

  send(message: OutgoingMessage): Promise<void> {
    return this.routes[message.channel].send(message);
  }

  /** `SMS → HTTP gateway, EMAIL → SMTP, POST → dev outbox`: for a start-up log line. */
  describe(): string {
    const names = (sender: MessageSender) =>
      sender instanceof HttpSmsSender
        ? 'HTTP gateway'
        : sender instanceof SmtpSender
          ? 'SMTP'
          : sender instanceof DevOutbox
            ? 'dev outbox'
            : sender.constructor.name;
    return CHANNELS.map((channel) => `${channel} → ${names(this.routes[channel])}`).join(', ');
  }
}

// ---------------------------------------------------------------------------------------------------
// Configuration

/**
 * The senders the environment asks for:
 * - SMS through `SMS_GATEWAY_URL` (with `SMS_GATEWAY_TOKEN`), e-mail through `SMTP_URL` (with `SMTP_FROM`);
 * - postal letters always go to the dev outbox: there is no postal provider yet;
 * - a channel that is not configured goes to one shared `DevOutbox`, except in production, where it is
 *   refused at start-up unless `DEV_OUTBOX=true` explicitly allows it for a trial.
 */
export function messageSenderFromEnv(env: Record<string, string | undefined> = process.env): ChannelRouter {
  const production = env.NODE_ENV === 'production';
  const devOutboxAllowed = !production || env.DEV_OUTBOX === 'true';
  const missing: string[] = [];
  let outbox: DevOutbox | undefined;
  const devOutbox = (channel: Channel, needs: string): MessageSender => {
    if (!devOutboxAllowed) missing.push(`${channel}: ${needs}`);
    return (outbox ??= new DevOutbox());
  };

  let sms: MessageSender;
  if (env.SMS_GATEWAY_URL) {
    if (!env.SMS_GATEWAY_TOKEN) throw new Error('SMS_GATEWAY_URL is set but SMS_GATEWAY_TOKEN is not');
    // The bearer token and the codes go with every request.
    if (production && new URL(env.SMS_GATEWAY_URL).protocol !== 'https:') {
      throw new Error('SMS_GATEWAY_URL must be an https:// URL in production');
    }
    sms = new HttpSmsSender({ url: env.SMS_GATEWAY_URL, token: env.SMS_GATEWAY_TOKEN });
  } else {
    sms = devOutbox('SMS', 'set SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN');
  }

  let email: MessageSender;
  if (env.SMTP_URL) {
    if (!env.SMTP_FROM) throw new Error('SMTP_URL is set but SMTP_FROM is not');
    email = new SmtpSender({ url: env.SMTP_URL, from: env.SMTP_FROM });
  } else {
    email = devOutbox('EMAIL', 'set SMTP_URL and SMTP_FROM');
  }

  const post = devOutbox('POST', 'no postal provider is implemented; letters can only go to the dev outbox');

  if (missing.length) {
    throw new Error(
      `Outgoing messages are not configured for NODE_ENV=production:\n  ${missing.join('\n  ')}\n` +
        'For a trial, DEV_OUTBOX=true sends these channels to the dev outbox, which prints every message, codes included, to the console.',
    );
  }
  const router = new ChannelRouter({ SMS: sms, EMAIL: email, POST: post });
  if (production && outbox) {
    logger('delivery').warn({ channels: router.describe() }, 'DEV_OUTBOX=true: dev-outbox messages are printed, not sent');
  }
  return router;
}
