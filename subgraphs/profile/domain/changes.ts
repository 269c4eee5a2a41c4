import { userError, type UserError } from '../../../lib/errors.ts';
import { runningCheckOf } from '../db/data-checks.ts';
import { deleteDocument, documentOf, documentOfType, insertDocument, setDocumentVerification, updateDocument } from '../db/documents.ts';
import { birthDateOf, insertPersonalData, lockPersonalData, uncheckPersonalData, updatePersonalDataOf } from '../db/personal-data.ts';
import { childOf, deleteRecord, vehicleOf, writeChild, writeVehicle, type ChildFields, type VehicleFields } from '../db/records.ts';
import type { ChildRow, DocumentRow, DocumentType, PersonalDataRow, VehicleRow } from '../db/schema.ts';
import { inTransaction, type Db } from '../db/store.ts';
import { CHECKED_DOCUMENTS, CHECKED_PERSONAL_FIELDS, dataUnderCheck } from './data-check.ts';
import { checkDocument } from './documents.ts';
import { todayIn } from './fields.ts';
import { diff, recordChange } from './history.ts';
import { checkChild, checkPersonalData } from './people.ts';
import { DOCUMENT_NAME } from './present.ts';
import { checkVehicle } from './vehicles.ts';

/**
 * Changes to a profile. Every input is checked in full before anything is written (all mistakes at
 * once, each naming its field); each change is written with its history entry in one transaction.
 */

type Saved<T> = { value: T; warnings: UserError[] } | { errors: UserError[] };

const today = (now: Date) => todayIn('Europe/Moscow', now);
/** What checked data is once edited: not checked any more. */
const UNCHECKED = { verificationStatus: 'NOT_CHECKED', checkedAt: null } as const;
const notFound = (field: string) => userError('NOT_FOUND', 'Не найдено: возможно, запись уже удалена.', ['input', field]);

export async function updatePersonalData(db: Db, userId: string, input: Record<string, unknown>, now = new Date()): Promise<Saved<PersonalDataRow>> {
  const checked = checkPersonalData(input, { path: ['input'], today: today(now) });
  if (!checked.ok) return { errors: checked.errors };
  const value = checked.value;
  return inTransaction(db, async (tx) => {
    const current = await lockPersonalData(tx, userId);
    const lockedChanges = diff(current, value, CHECKED_PERSONAL_FIELDS);
    if (lockedChanges.length && (await runningCheckOf(tx, userId))) {
      return { errors: lockedChanges.map((change) => dataUnderCheck(['input', change.field])) };
    }
    // Checked data edited is unchecked again; the Social Fund's answer covered the SNILS too.
    const unchecked = current?.verificationStatus === 'CHECKED' && lockedChanges.length > 0;
    const fields = { ...value, updatedAt: now, ...(unchecked ? UNCHECKED : {}) };
    const saved = current ? await updatePersonalDataOf(tx, userId, fields) : await insertPersonalData(tx, { userId, ...fields, createdAt: now });
    if (unchecked) await setDocumentVerification(tx, userId, 'SNILS', UNCHECKED);
    const changes = diff(current, value, Object.keys(value));
    if (changes.length) await recordChange(tx, { userId, subject: 'PERSONAL_DATA', subjectId: null, subjectName: 'Личные данные', action: current ? 'UPDATED' : 'CREATED', changes }, now);
    return { value: saved, warnings: checked.warnings };
  });
}

/** Input fields of `saveDocument`, one per kind. */
export const DOCUMENT_INPUTS: Record<string, DocumentType> = {
  russianPassport: 'RUSSIAN_PASSPORT',
  snils: 'SNILS',
  inn: 'INN',
  foreignPassport: 'FOREIGN_PASSPORT',
  driverLicence: 'DRIVER_LICENCE',
  omsPolicy: 'OMS_POLICY',
  militaryId: 'MILITARY_ID',
  birthCertificate: 'BIRTH_CERTIFICATE',
};

export async function saveDocument(db: Db, userId: string, input: Record<string, unknown>, now = new Date()): Promise<Saved<DocumentRow>> {
  const given = Object.keys(DOCUMENT_INPUTS).filter((key) => input[key] != null);
  if (given.length !== 1) return { errors: [userError('ONE_DOCUMENT_REQUIRED', 'Укажите ровно один документ.', ['input'])] };
  const key = given[0]!;
  const type = DOCUMENT_INPUTS[key]!;
  const birthDate = await birthDateOf(db, userId);
  const checked = checkDocument(type, input[key] as Record<string, unknown>, { path: ['input', key], birthDate, today: today(now) });
  if (!checked.ok) return { errors: checked.errors };
  const details = checked.value as Record<string, unknown>;
  const documentId = input.documentId as string | null | undefined;
  return inTransaction(db, async (tx) => {
    if (CHECKED_DOCUMENTS.includes(type) && (await runningCheckOf(tx, userId))) return { errors: [dataUnderCheck(['input', key])] };
    const existing = documentId ? await documentOf(tx, userId, documentId, type) : type === 'FOREIGN_PASSPORT' ? null : await documentOfType(tx, userId, type);
    if (documentId && !existing) return { errors: [notFound('documentId')] };
    const changes = diff(existing?.details ?? null, details);
    const saved = existing
      ? await updateDocument(tx, existing.id, { details, updatedAt: now, ...(changes.length ? { ...UNCHECKED, failureReason: null } : {}) })
      : await insertDocument(tx, { userId, type, details, createdAt: now, updatedAt: now });
    // A different SNILS also voids the Social Fund's confirmation of the names.
    if (type === 'SNILS' && existing && changes.length) await uncheckPersonalData(tx, userId);
    if (!existing || changes.length) {
      await recordChange(tx, { userId, subject: 'DOCUMENT', subjectId: saved.id, subjectName: DOCUMENT_NAME[type], action: existing ? 'UPDATED' : 'CREATED', changes }, now);
    }
    return { value: saved, warnings: checked.warnings };
  });
}

export async function removeDocument(db: Db, userId: string, documentId: string, now = new Date()): Promise<{ errors: UserError[] }> {
  return inTransaction(db, async (tx) => {
    const document = await documentOf(tx, userId, documentId);
    if (!document) return { errors: [notFound('documentId')] };
    if (CHECKED_DOCUMENTS.includes(document.type) && (await runningCheckOf(tx, userId))) return { errors: [dataUnderCheck(['input', 'documentId'])] };
    await deleteDocument(tx, documentId);
    await recordChange(tx, { userId, subject: 'DOCUMENT', subjectId: documentId, subjectName: DOCUMENT_NAME[document.type], action: 'DELETED', changes: diff(document.details, null) }, now);
    return { errors: [] };
  });
}

const childName = (child: { lastName: string; firstName: string }) => `Ребёнок: ${child.lastName} ${child.firstName}`;

export async function saveChild(db: Db, userId: string, input: Record<string, unknown>, now = new Date()): Promise<Saved<ChildRow>> {
  const checked = checkChild(input, { path: ['input'], today: today(now) });
  if (!checked.ok) return { errors: checked.errors };
  const value = checked.value as ChildFields;
  const childId = input.childId as string | null | undefined;
  return inTransaction(db, async (tx) => {
    const existing = childId ? await childOf(tx, userId, childId) : null;
    if (childId && !existing) return { errors: [notFound('childId')] };
    const saved = await writeChild(tx, userId, existing?.id ?? null, value, now);
    const changes = diff(existing, value, Object.keys(value));
    if (changes.length) await recordChange(tx, { userId, subject: 'CHILD', subjectId: saved.id, subjectName: childName(saved), action: existing ? 'UPDATED' : 'CREATED', changes }, now);
    return { value: saved, warnings: checked.warnings };
  });
}

export async function saveVehicle(db: Db, userId: string, input: Record<string, unknown>, now = new Date()): Promise<Saved<VehicleRow>> {
  const checked = checkVehicle(input, { path: ['input'] });
  if (!checked.ok) return { errors: checked.errors };
  const value = checked.value as VehicleFields;
  const vehicleId = input.vehicleId as string | null | undefined;
  return inTransaction(db, async (tx) => {
    const existing = vehicleId ? await vehicleOf(tx, userId, vehicleId) : null;
    if (vehicleId && !existing) return { errors: [notFound('vehicleId')] };
    const saved = await writeVehicle(tx, userId, existing?.id ?? null, value, now);
    const changes = diff(existing, value, Object.keys(value));
    if (changes.length) await recordChange(tx, { userId, subject: 'VEHICLE', subjectId: saved.id, subjectName: `${saved.make} ${saved.model}`, action: existing ? 'UPDATED' : 'CREATED', changes }, now);
    return { value: saved, warnings: [] };
  });
}

/** Removes a child or a vehicle of the person, with its history entry. */
export async function removeRecord(db: Db, userId: string, kind: 'CHILD' | 'VEHICLE', id: string, now = new Date()): Promise<{ errors: UserError[] }> {
  return inTransaction(db, async (tx) => {
    const removed = await deleteRecord(tx, kind, userId, id);
    if (!removed) return { errors: [notFound(kind === 'CHILD' ? 'childId' : 'vehicleId')] };
    const subjectName = 'make' in removed ? `${removed.make} ${removed.model}` : childName(removed);
    await recordChange(tx, { userId, subject: kind, subjectId: id, subjectName, action: 'DELETED' }, now);
    return { errors: [] };
  });
}
