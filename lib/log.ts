import { pino, type Logger } from 'pino';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import postgres from 'postgres';

/**
 * The one logger of every service: pino, one JSON object per line (`level`, `time`, `pid`,
 * `service`, `msg`, then the fields). Every value goes through JSON encoding, so a newline or a
 * quote in a login, a device name or an error can never start a line of its own.
 *
 * Errors are logged as `{ err }` and written by `errorFields`: never the error's message when it
 * is a database error (drizzle's carries the statement's parameters, PostgreSQL's the values it
 * refused), never its `detail` or parameters. `LOG_LEVEL` (pino's levels) sets what is written.
 */
export type { Logger };

/** Where the lines go: stdout, or what a test put there (`setLogOutput`). */
let output: (line: string) => void = (line) => void process.stdout.write(line);

/** pino's levels; another `LOG_LEVEL` is refused by the service's configuration (lib/config.ts), which logs that here at `info`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const level = process.env.LOG_LEVEL?.trim() || 'info';

const root = pino(
  {
    level: (LOG_LEVELS as readonly string[]).includes(level) ? level : 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: errorFields },
    hooks: {
      // pino would take an error's message as the line's `msg`: a query error's message holds its parameters.
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        const fields = first instanceof Error ? { err: first } : first;
        if (typeof fields !== 'object' || fields === null) return method.apply(this, args);
        return method.apply(this, [fields, typeof second === 'string' ? second : 'failed', ...args.slice(2)] as Parameters<typeof method>);
      },
    },
  },
  { write: (line: string) => output(line) },
);

/** The logger of one service (or part of one: `[gateway]`, `[rate-limit]`, `[event-bus]`…). */
export const logger = (service: string): Logger => root.child({ service });

/** Sends every log line (each ends with a newline) to `write` instead of stdout; null puts stdout back. */
export function setLogOutput(write: ((line: string) => void) | null): void {
  output = write ?? ((line) => void process.stdout.write(line));
}

/**
 * How a dev outbox prints (lib/delivery.ts, notifications' push.ts): a plain line for the person at
 * `npm start`'s terminal; in production (a `DEV_OUTBOX=true` trial) a JSON line like any other, so
 * the stream stays one object per line whatever a message's text holds.
 */
export function devOutboxPrinter(service: string): (line: string) => void {
  // NODE_ENV read here, not through lib/config.ts, which logs through this module.
  if (process.env.NODE_ENV !== 'production') return (line) => console.log(line);
  const log = logger(service);
  return (line) => log.warn({ devOutbox: line }, 'kept in the dev outbox, not sent');
}

/** Errors whose message and properties carry an SQL statement's parameters or the values refused. */
const isQueryError = (error: Error): boolean => error instanceof DrizzleQueryError || error instanceof postgres.PostgresError || ('query' in error && ('params' in error || 'parameters' in error));

/**
 * Only the call frames of a stack. Its head repeats the message, line breaks and all, so it is cut
 * off first: a parameter written `\n    at …` would otherwise pass for a frame.
 */
function frames(error: Error): string | undefined {
  const { stack, message } = error;
  if (!stack) return undefined;
  const head = `${error.name}: ${message}`;
  const at = stack.startsWith(head) ? head.length : message && stack.includes(message) ? stack.indexOf(message) + message.length : 0;
  return stack
    .slice(at)
    .split('\n')
    .filter((line) => line.startsWith('    at '))
    .join('\n');
}

/**
 * What a log says of an error: its class, code, message (not for a database error), for a database
 * error the SQLSTATE, the constraint and table and the SQL text with its `$1` placeholders, the call
 * frames, and its cause the same way. Never a value of a statement, whatever the error.
 */
export function errorFields(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { class: error === null ? 'null' : typeof error };
  const fields: Record<string, unknown> = { class: error.constructor.name };
  const e = error as Error & Record<string, unknown>;
  if (isQueryError(error)) {
    if (error instanceof postgres.PostgresError) {
      Object.assign(fields, { code: e.code, constraint: e.constraint_name, table: e.table_name, column: e.column_name });
    }
    if (typeof e.query === 'string') fields.sql = e.query;
  } else {
    fields.message = error.message;
    if (typeof e.code === 'string' || typeof e.code === 'number') fields.code = e.code;
  }
  fields.stack = frames(error);
  if (error.cause !== undefined && depth < 3) fields.cause = errorFields(error.cause, depth + 1);
  if (error instanceof AggregateError && depth < 3) fields.errors = error.errors.slice(0, 5).map((inner: unknown) => errorFields(inner, depth + 1));
  return fields;
}
