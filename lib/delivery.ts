import nodemailer from 'nodemailer';
import type { EnvReader } from './config.ts';
import { devOutboxPrinter, logger } from './log.ts';

/**
 * Every SMS, e-mail, postal letter and push leaves the system through a `ChannelAdapter`: one
 * provider that sends one kind of message to an address (an SMS gateway, SMTP, a letter provider, a
 * push service), or a development or "off" stand-in behind the same interface. Identity and
 * notifications never talk to a provider directly, and tests read what was "sent" from a `DevOutbox`.
 * SMS, e-mail and letters are here (`OutgoingMessage`); notifications' push adapters are in its
 * push.ts. Texts often carry one-time codes: no adapter logs a text or puts it into an error message,
 * except the dev outboxes, whose whole point is to show them to a developer.
 */

/** Every channel anything here sends on; `CHANNELS_OFF` may list each. */
export type Channel = 'SMS' | 'EMAIL' | 'POST' | 'PUSH';
export const CHANNELS: readonly Channel[] = ['SMS', 'EMAIL', 'POST', 'PUSH'];

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

/** The channels of `OutgoingMessage`, which `messageSender` gives an adapter each. */
export type MessageChannel = OutgoingMessage['channel'];
export const MESSAGE_CHANNELS: readonly MessageChannel[] = ['SMS', 'EMAIL', 'POST'];

/** What sends messages `M`: an adapter, or `ChannelRouter`, which hands each to its channel's adapter. */
export interface MessageSender<M = OutgoingMessage> {
  /**
   * Resolves once the provider has accepted the message. Rejects with a `DeliveryError` otherwise,
   * which classifies the failure: `retryable` when trying again later may succeed, else final.
   */
  send(message: M): Promise<void>;
  /** Whether `channel` sends at all; a sender that does not say sends every channel it is given. */
  available?(channel: Channel): boolean;
}

/**
 * One channel's provider: sends `M` to an address, classifies a failure as retryable or final (the
 * `DeliveryError` it rejects with), and names itself. A channel is added by implementing this and
 * registering it where its service picks adapters (`messageSender` below, notifications' push.ts).
 */
export interface ChannelAdapter<M = OutgoingMessage> extends MessageSender<M> {
  /** How errors and the start-up log line name the provider: `SMS gateway`, `SMTP`, `dev outbox`, `off`. */
  readonly provider: string;
}

/** A message that was not sent. The message never includes the text: it may hold a code. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  /** The provider's HTTP status, when it answered with one. */
  readonly status: number | undefined;
  /**
   * Whether trying again later may succeed (the default): a provider that did not answer, or answered
   * 408, 429 or 5xx. A message no provider would take, a refusal (another 4xx) or a channel turned
   * off is final.
   */
  readonly retryable: boolean;

  constructor(
    readonly channel: Channel,
    message: string,
    options?: { cause?: unknown; status?: number; retryable?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
    this.retryable = options?.retryable ?? true;
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
    throw new DeliveryError(message.channel, `${message.channel} message refused: ${why}`, { retryable: false });
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
export class DevOutbox implements ChannelAdapter {
  readonly provider = 'dev outbox';
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
  waitFor(recipient: string, predicate: (message: OutgoingMessage) => boolean = () => true, { timeoutMs = 5_000 }: { timeoutMs?: number } = {}): Promise<OutgoingMessage> {
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

export interface HttpProviderOptions {
  /** The provider's endpoint; it receives a JSON `POST` (each sender below documents its body). */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** A code that arrives after the person gave up is worthless: fail fast instead. */
  timeoutMs?: number;
}

/** Statuses after which the same request may succeed later. */
const RETRYABLE_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * One channel through a provider's HTTP interface: a JSON body with a bearer token; any 2xx means
 * accepted. No answer, 408, 429 or 5xx is a retryable `DeliveryError`, another status a final one.
 */
abstract class HttpProviderSender<C extends MessageChannel> implements ChannelAdapter {
  private readonly url: string;
  private readonly token: string;
  readonly timeoutMs: number;

  constructor(
    private readonly channel: C,
    readonly provider: string,
    options: HttpProviderOptions,
  ) {
    this.url = new URL(options.url).href;
    if (!options.token) throw new Error(`${new.target.name} needs a token`);
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  protected abstract body(message: Extract<OutgoingMessage, { channel: C }>): Record<string, unknown>;

  async send(message: OutgoingMessage): Promise<void> {
    if (message.channel !== this.channel) throw new DeliveryError(message.channel, `${this.constructor.name} cannot send ${message.channel}`);
    assertDeliverable(message);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify(this.body(message as Extract<OutgoingMessage, { channel: C }>)),
        // A redirect could carry the token and the code somewhere else.
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new DeliveryError(this.channel, timedOut ? `${this.provider} did not answer within ${this.timeoutMs} ms` : `${this.provider} unreachable: ${describeCause(error)}`, { cause: error });
    }
    // The body is never read into the error: a provider may echo the text, code included.
    await response.body?.cancel().catch(() => {});
    if (!response.ok) {
      throw new DeliveryError(this.channel, `${this.provider} answered HTTP ${response.status}`, { status: response.status, retryable: RETRYABLE_STATUS(response.status) });
    }
  }
}

/** SMS through an HTTP gateway: `POST {"to": "+7…", "text": "…"}`. */
export class HttpSmsSender extends HttpProviderSender<'SMS'> {
  constructor(options: HttpProviderOptions) {
    super('SMS', 'SMS gateway', options);
  }

  protected body(message: Extract<OutgoingMessage, { channel: 'SMS' }>) {
    return { to: message.to, text: message.text };
  }
}

/**
 * Registered letters (заказное письмо) through a postal provider's HTTP interface (a hybrid-mail
 * service prints, envelopes and posts them): `POST {"to": "<postal address>", "recipientName":
 * "Иванов Иван Иванович", "text": "…", "registered": true}`.
 */
export class HttpLetterSender extends HttpProviderSender<'POST'> {
  constructor(options: HttpProviderOptions) {
    super('POST', 'letter provider', options);
  }

  protected body(message: Extract<OutgoingMessage, { channel: 'POST' }>) {
    return { to: message.to, recipientName: message.recipientName, text: message.text, registered: true };
  }
}

/** A channel the configuration turned off (`CHANNELS_OFF`): nothing is sent, and saying so is final. */
export class ChannelOff implements ChannelAdapter<unknown> {
  readonly provider = 'off';

  constructor(readonly channel: Channel) {}

  async send(): Promise<void> {
    throw new DeliveryError(this.channel, `${this.channel} is turned off (CHANNELS_OFF)`, { retryable: false });
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
export class SmtpSender implements ChannelAdapter {
  readonly provider = 'SMTP';
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(options: SmtpSenderOptions) {
    const timeout = options.timeoutMs ?? 15_000;
    // nodemailer's defaults wait minutes for a silent server; a person is waiting for the code.
    this.transport = nodemailer.createTransport({ url: options.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout }, { from: options.from });
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
      // An SMTP 5xx reply is the server's final no; a connection that failed or a 4xx may pass later.
      const reply = (error as { responseCode?: unknown }).responseCode;
      throw new DeliveryError('EMAIL', `SMTP delivery failed: ${describeCause(error)}`, { cause: error, retryable: !(typeof reply === 'number' && reply >= 500) });
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** Sends each channel through its own adapter. */
export class ChannelRouter implements MessageSender {
  constructor(readonly routes: Readonly<Record<MessageChannel, ChannelAdapter>>) {}

  send(message: OutgoingMessage): Promise<void> {
    return this.routes[message.channel].send(message);
  }

  /** Whether `channel` sends at all (not turned off): identity offers the letter only when POST does. */
  available(channel: MessageChannel): boolean {
    return !(this.routes[channel] instanceof ChannelOff);
  }

  /** `SMS → SMS gateway, EMAIL → SMTP, POST → off`: for a start-up log line. */
  describe(): string {
    return MESSAGE_CHANNELS.map((channel) => `${channel} → ${this.routes[channel].provider}`).join(', ');
  }
}

// ---------------------------------------------------------------------------------------------------
// Configuration

const isChannel = (entry: string): entry is Channel => (CHANNELS as readonly string[]).includes(entry);

/** The channels `CHANNELS_OFF` turns off (`POST,PUSH`); read by every service that sends. */
export function channelsOff(env: EnvReader): Set<Channel> {
  const listed = env.list('CHANNELS_OFF') ?? [];
  const unknown = listed.filter((entry) => !isChannel(entry));
  if (unknown.length) env.refuse('CHANNELS_OFF', `"${unknown.join(',')}" is not a channel`, `a comma-separated list of ${CHANNELS.join(', ')}`);
  return new Set(listed.filter(isChannel));
}

/**
 * Whether a channel without a provider may go to the dev outbox: in development, and in production
 * only when `DEV_OUTBOX=true` allows it for a trial (it prints every message, codes included).
 * Production never needs it: each channel has a provider or is turned off.
 */
export const devOutboxAllowed = (env: EnvReader): boolean => env.flag('DEV_OUTBOX') || !env.production;

/**
 * The senders the configuration asks for, each channel one of:
 * - its provider: SMS through `SMS_GATEWAY_URL` (with `SMS_GATEWAY_TOKEN`), e-mail through `SMTP_URL`
 *   (with `SMTP_FROM`), registered letters through `LETTER_PROVIDER_URL` (with `LETTER_PROVIDER_TOKEN`);
 * - off, when `CHANNELS_OFF` lists it (`SMS`, `EMAIL`, `POST`), or the service does not send it (`uses`:
 *   notifications sends no letters);
 * - else one shared `DevOutbox`, except in production without `DEV_OUTBOX=true`, where the missing
 *   provider is refused at start.
 * An HTTP provider's URL must be https:// in production: the bearer token and the codes go with every request.
 */
export function messageSender(env: EnvReader, uses: readonly MessageChannel[] = MESSAGE_CHANNELS): ChannelRouter {
  const off = channelsOff(env);
  const devOutbox = devOutboxAllowed(env);
  const providerProtocols = env.production ? ['https:'] : ['https:', 'http:'];
  let outbox: DevOutbox | undefined;
  const channel = (name: MessageChannel, provider: { url: string; token: string; other: string; build: (url: string, other: string) => ChannelAdapter; protocols: string[]; what: string }): ChannelAdapter => {
    const url = env.url(provider.url, provider.protocols);
    const other = env.text(provider.other);
    if (url !== undefined || env.raw(provider.url) !== undefined) {
      if (off.has(name)) env.refuse('CHANNELS_OFF', `turns ${name} off while ${provider.url} is set`, `either a provider or the channel in CHANNELS_OFF, not both`);
      if (!other) env.refuse(provider.other, `not set while ${provider.url} is`, provider.token);
      return url && other ? provider.build(url, other) : new ChannelOff(name);
    }
    if (off.has(name) || !uses.includes(name)) return new ChannelOff(name);
    if (!devOutbox) env.refuse(provider.url, 'not set in production', `${provider.what}, or ${name} in CHANNELS_OFF (DEV_OUTBOX=true prints ${name} to the log instead, for a trial only)`);
    return (outbox ??= new DevOutbox());
  };
  const router = new ChannelRouter({
    SMS: channel('SMS', {
      url: 'SMS_GATEWAY_URL',
      other: 'SMS_GATEWAY_TOKEN',
      token: "the SMS gateway's bearer token",
      protocols: providerProtocols,
      what: `an ${providerProtocols[0]}// URL of the SMS gateway (with SMS_GATEWAY_TOKEN)`,
      build: (url, token) => new HttpSmsSender({ url, token }),
    }),
    EMAIL: channel('EMAIL', {
      url: 'SMTP_URL',
      other: 'SMTP_FROM',
      token: 'the From address, "Госуслуги" <no-reply@example.ru>',
      protocols: ['smtp:', 'smtps:'],
      what: 'an smtp:// or smtps:// URL of the mail server (with SMTP_FROM)',
      build: (url, from) => new SmtpSender({ url, from }),
    }),
    POST: channel('POST', {
      url: 'LETTER_PROVIDER_URL',
      other: 'LETTER_PROVIDER_TOKEN',
      token: "the letter provider's bearer token",
      protocols: providerProtocols,
      what: `an ${providerProtocols[0]}// URL of the letter provider (with LETTER_PROVIDER_TOKEN)`,
      build: (url, token) => new HttpLetterSender({ url, token }),
    }),
  });
  if (env.production && outbox && !env.problems.length) {
    logger('delivery').warn({ channels: router.describe() }, 'DEV_OUTBOX=true: dev-outbox messages are printed, not sent');
  }
  return router;
}
