import { and, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../../lib/db.ts';
import { recordEvent } from '../../../lib/events/outbox.ts';
import { userError, type UserError } from '../../../lib/errors.ts';
import * as tables from '../db/schema.ts';
import { dataChecks, documents, outbox, personalData, type DataCheckRow, type DocumentRow } from '../db/schema.ts';
import type { StateRegisters } from '../registers.ts';
import { recordChange } from './history.ts';
import { logger } from '../../../lib/log.ts';

/**
 * The data check (проверка данных) that raises an account to STANDARD: the Social Fund confirms that
 * the names, sex and birth date belong to the SNILS, the Interior Ministry that the passport is valid.
 * While it runs those data are locked; a new check cancels the running one; the outcome is published
 * as `profile.data-check-completed` (identity raises the level, notifications tells the person).
 */

type Db = Queryable<typeof tables>;

/** Personal data fields the Social Fund checks, locked during a check. */
export const CHECKED_PERSONAL_FIELDS = ['lastName', 'firstName', 'middleName', 'sex', 'birthDate'] as const;
/** Documents the check covers, locked during a check. */
export const CHECKED_DOCUMENTS: readonly DocumentRow['type'][] = ['SNILS', 'RUSSIAN_PASSPORT'];

export const dataUnderCheck = (field: string[] | null) =>
  userError('DATA_UNDER_CHECK', 'Данные проверяются в ведомствах. Изменить их можно после окончания проверки.', field);

export async function runningCheck(db: Db, userId: string): Promise<DataCheckRow | null> {
  const [check] = await db.select().from(dataChecks).where(and(eq(dataChecks.userId, userId), eq(dataChecks.status, 'RUNNING')));
  return check ?? null;
}

interface Snapshot {
  lastName: string;
  firstName: string;
  middleName: string | null;
  sex: string;
  birthDate: string;
  snils: string;
  passport: { series: string; number: string; issuedOn: string };
}

/** Starts a check, cancelling a running one; refuses while names, sex, birth date, SNILS or passport are missing. */
export async function startDataCheck(db: Db, userId: string, now = new Date()): Promise<{ check: DataCheckRow } | { errors: UserError[] }> {
  return db.transaction(async (tx) => {
    const [person] = await tx.select().from(personalData).where(eq(personalData.userId, userId)).for('update');
    const docs = await tx.select().from(documents).where(and(eq(documents.userId, userId), inArray(documents.type, [...CHECKED_DOCUMENTS])));
    const snils = docs.find((doc) => doc.type === 'SNILS');
    const passport = docs.find((doc) => doc.type === 'RUSSIAN_PASSPORT');
    const missing = [
      !person && 'ФИО',
      !person?.sex && 'пол',
      !person?.birthDate && 'дату рождения',
      !snils && 'СНИЛС',
      !passport && 'паспорт',
    ].filter(Boolean);
    if (!person || !snils || !passport || missing.length) {
      return { errors: [userError('DATA_CHECK_INCOMPLETE', `Для проверки данных заполните: ${missing.join(', ')}.`, null)] };
    }
    const cancelled = await tx
      .update(dataChecks)
      .set({ status: 'CANCELLED', finishedAt: now })
      .where(and(eq(dataChecks.userId, userId), eq(dataChecks.status, 'RUNNING')))
      .returning({ id: dataChecks.id });
    for (const { id } of cancelled) await recordChange(tx, { userId, subject: 'DATA_CHECK', subjectId: id, subjectName: 'Проверка данных', action: 'CHECK_CANCELLED' }, now);
    const details = passport.details as Record<string, string>;
    const snapshot: Snapshot = {
      lastName: person.lastName, firstName: person.firstName, middleName: person.middleName, sex: person.sex!, birthDate: person.birthDate!,
      snils: String((snils.details as Record<string, string>).number),
      passport: { series: details.series!, number: details.number!, issuedOn: details.issuedOn! },
    };
    const [check] = await tx.insert(dataChecks).values({ userId, snapshot: { ...snapshot }, startedAt: now }).returning();
    await tx.update(personalData).set({ verificationStatus: 'CHECKING', failureReason: null }).where(eq(personalData.userId, userId));
    await tx.update(documents).set({ verificationStatus: 'CHECKING', failureReason: null }).where(inArray(documents.id, [snils.id, passport.id]));
    await recordChange(tx, { userId, subject: 'DATA_CHECK', subjectId: check!.id, subjectName: 'Проверка данных', action: 'CHECK_STARTED' }, now);
    return { check: check! };
  });
}

/** Asks both registers and records the outcome, unless a newer check cancelled this one meanwhile. */
export async function completeDataCheck(db: Db, registers: StateRegisters, checkId: string, now = () => new Date()): Promise<void> {
  const [check] = await db.select().from(dataChecks).where(eq(dataChecks.id, checkId));
  if (!check || check.status !== 'RUNNING') return;
  const snapshot = check.snapshot as unknown as Snapshot;
  const [socialFund, interior] = await Promise.all([
    registers.socialFund.checkSnils({ ...snapshot }),
    registers.interiorMinistry.checkPassport({ ...snapshot.passport, lastName: snapshot.lastName, firstName: snapshot.firstName, birthDate: snapshot.birthDate }),
  ]);
  const reasons = [socialFund, interior].flatMap((answer) => (answer.confirmed ? [] : [answer.reason]));
  const outcome = reasons.length ? 'FAILED' : 'SUCCEEDED';
  const at = now();
  await db.transaction(async (tx) => {
    const finished = await tx
      .update(dataChecks)
      .set({ status: outcome, finishedAt: at, failureReason: reasons.join(' ') || null })
      .where(and(eq(dataChecks.id, checkId), eq(dataChecks.status, 'RUNNING')))
      .returning({ id: dataChecks.id });
    if (!finished.length) return;
    const status = (answer: typeof socialFund) => (answer.confirmed ? { verificationStatus: 'CHECKED' as const, checkedAt: at, failureReason: null } : { verificationStatus: 'FAILED' as const, checkedAt: at, failureReason: answer.reason });
    await tx.update(personalData).set(status(socialFund)).where(eq(personalData.userId, check.userId));
    await tx.update(documents).set(status(socialFund)).where(and(eq(documents.userId, check.userId), eq(documents.type, 'SNILS')));
    await tx.update(documents).set(status(interior)).where(and(eq(documents.userId, check.userId), eq(documents.type, 'RUSSIAN_PASSPORT')));
    await recordChange(tx, { userId: check.userId, subject: 'DATA_CHECK', subjectId: check.id, subjectName: 'Проверка данных', action: outcome === 'SUCCEEDED' ? 'CHECKED' : 'CHECK_FAILED', actor: 'REGISTERS' }, at);
    await recordEvent(tx, outbox, 'profile.data-check-completed', {
      userId: check.userId,
      checkId: check.id,
      outcome,
      reason: reasons.join(' ') || null,
      passport: outcome === 'SUCCEEDED' ? { series: snapshot.passport.series, number: snapshot.passport.number } : null,
      snils: outcome === 'SUCCEEDED' ? snapshot.snils : null,
    });
  });
}

export interface DataCheckRunner {
  /** Runs a started check in the background. */
  run(checkId: string): void;
  /** Picks up checks left running by a stopped process. */
  resume(): Promise<void>;
  /** Resolves when every check this runner is working on has finished (tests wait on it). */
  settled(): Promise<void>;
  stop(): void;
}

/** Retries a register that did not answer (an outage), as the real check may take days. */
const RETRY_MS = 60_000;

export function createDataCheckRunner(db: Db, registers: StateRegisters): DataCheckRunner {
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const run = (checkId: string) => {
    if (stopped) return;
    const work = completeDataCheck(db, registers, checkId).catch((error) => {
      logger('profile').error({ err: error, checkId }, 'data check failed, tried again in a minute');
      const timer = setTimeout(() => (timers.delete(timer), run(checkId)), RETRY_MS);
      timer.unref();
      timers.add(timer);
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  return {
    run,
    async resume() {
      const running = await db.select({ id: dataChecks.id }).from(dataChecks).where(eq(dataChecks.status, 'RUNNING'));
      running.forEach(({ id }) => run(id));
    },
    async settled() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
    stop() {
      stopped = true;
      timers.forEach(clearTimeout);
    },
  };
}
