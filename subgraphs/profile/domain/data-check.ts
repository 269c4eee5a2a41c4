import { userError, type UserError } from '../../../lib/errors.ts';
import { cancelRunningChecks, dataCheckById, finishRunningCheck, insertDataCheck, runningCheckIds } from '../db/data-checks.ts';
import { documentsOfTypes, setDocumentsVerification, setDocumentVerification } from '../db/documents.ts';
import { lockPersonalData, setPersonalDataVerification } from '../db/personal-data.ts';
import type { DataCheckRow, DocumentRow, PersonalDataRow } from '../db/schema.ts';
import { inTransaction, recordEvent, type Db } from '../db/store.ts';
import type { StateRegisters } from '../registers.ts';
import { recordChange } from './history.ts';
import { logger } from '../../../lib/log.ts';

/**
 * The data check (проверка данных) that raises an account to STANDARD: the Social Fund confirms that
 * the names, sex and birth date belong to the SNILS, the Interior Ministry that the passport is valid.
 * While it runs those data are locked; a new check cancels the running one; the outcome is published
 * as `profile.data-check-completed` (identity raises the level, notifications tells the person).
 */

/** Personal data fields the Social Fund checks, locked during a check. */
export const CHECKED_PERSONAL_FIELDS = ['lastName', 'firstName', 'middleName', 'sex', 'birthDate'] as const;
/** Documents the check covers, locked during a check. */
export const CHECKED_DOCUMENTS: readonly DocumentRow['type'][] = ['SNILS', 'RUSSIAN_PASSPORT'];

export const dataUnderCheck = (field: string[] | null) => userError('DATA_UNDER_CHECK', 'Данные проверяются в ведомствах. Изменить их можно после окончания проверки.', field);

export interface Snapshot {
  lastName: string;
  firstName: string;
  middleName: string | null;
  sex: string;
  birthDate: string;
  snils: string;
  passport: { series: string; number: string; issuedOn: string };
}

/**
 * What a check sends the registers of the person's data and documents (the SNILS and the passport,
 * whose ids it locks), or what is missing for one, in the words of the refusal.
 */
export function checkRequest(person: PersonalDataRow | null, documents: DocumentRow[]): { snapshot: Snapshot; documentIds: string[] } | { missing: string[] } {
  const snils = documents.find((doc) => doc.type === 'SNILS');
  const passport = documents.find((doc) => doc.type === 'RUSSIAN_PASSPORT');
  const missing = [!person && 'ФИО', !person?.sex && 'пол', !person?.birthDate && 'дату рождения', !snils && 'СНИЛС', !passport && 'паспорт'].filter((gap) => gap !== false);
  if (!person || !snils || !passport || missing.length) return { missing };
  const details = passport.details as Record<string, string>;
  const snapshot: Snapshot = {
    lastName: person.lastName,
    firstName: person.firstName,
    middleName: person.middleName,
    sex: person.sex!,
    birthDate: person.birthDate!,
    snils: String((snils.details as Record<string, string>).number),
    passport: { series: details.series!, number: details.number!, issuedOn: details.issuedOn! },
  };
  return { snapshot, documentIds: [snils.id, passport.id] };
}

/** Starts a check, cancelling a running one; refuses while names, sex, birth date, SNILS or passport are missing. */
export async function startDataCheck(db: Db, userId: string, now = new Date()): Promise<{ check: DataCheckRow } | { errors: UserError[] }> {
  return inTransaction(db, async (tx) => {
    const person = await lockPersonalData(tx, userId);
    const docs = await documentsOfTypes(tx, userId, CHECKED_DOCUMENTS);
    const request = checkRequest(person, docs);
    if ('missing' in request) {
      return { errors: [userError('DATA_CHECK_INCOMPLETE', `Для проверки данных заполните: ${request.missing.join(', ')}.`, null)] };
    }
    for (const id of await cancelRunningChecks(tx, userId, now)) await recordChange(tx, { userId, subject: 'DATA_CHECK', subjectId: id, subjectName: 'Проверка данных', action: 'CHECK_CANCELLED' }, now);
    const check = await insertDataCheck(tx, { userId, snapshot: { ...request.snapshot }, startedAt: now });
    const checking = { verificationStatus: 'CHECKING' as const, failureReason: null };
    await setPersonalDataVerification(tx, userId, checking);
    await setDocumentsVerification(tx, request.documentIds, checking);
    await recordChange(tx, { userId, subject: 'DATA_CHECK', subjectId: check.id, subjectName: 'Проверка данных', action: 'CHECK_STARTED' }, now);
    return { check };
  });
}

/** Asks both registers and records the outcome, unless a newer check cancelled this one meanwhile. */
export async function completeDataCheck(db: Db, registers: StateRegisters, checkId: string, now = () => new Date()): Promise<void> {
  const check = await dataCheckById(db, checkId);
  if (!check || check.status !== 'RUNNING') return;
  const snapshot = check.snapshot as unknown as Snapshot;
  const [socialFund, interior] = await Promise.all([
    registers.socialFund.checkSnils({ ...snapshot }),
    registers.interiorMinistry.checkPassport({ ...snapshot.passport, lastName: snapshot.lastName, firstName: snapshot.firstName, birthDate: snapshot.birthDate }),
  ]);
  const reasons = [socialFund, interior].flatMap((answer) => (answer.confirmed ? [] : [answer.reason]));
  const outcome = reasons.length ? 'FAILED' : 'SUCCEEDED';
  const at = now();
  await inTransaction(db, async (tx) => {
    if (!(await finishRunningCheck(tx, checkId, { status: outcome, finishedAt: at, failureReason: reasons.join(' ') || null }))) return;
    const status = (answer: typeof socialFund) =>
      answer.confirmed ? { verificationStatus: 'CHECKED' as const, checkedAt: at, failureReason: null } : { verificationStatus: 'FAILED' as const, checkedAt: at, failureReason: answer.reason };
    await setPersonalDataVerification(tx, check.userId, status(socialFund));
    await setDocumentVerification(tx, check.userId, 'SNILS', status(socialFund));
    await setDocumentVerification(tx, check.userId, 'RUSSIAN_PASSPORT', status(interior));
    await recordChange(tx, { userId: check.userId, subject: 'DATA_CHECK', subjectId: check.id, subjectName: 'Проверка данных', action: outcome === 'SUCCEEDED' ? 'CHECKED' : 'CHECK_FAILED', actor: 'REGISTERS' }, at);
    await recordEvent(tx, 'profile.data-check-completed', {
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
      (await runningCheckIds(db)).forEach(run);
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
