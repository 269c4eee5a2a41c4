import { and, eq, ne } from 'drizzle-orm';
import type { Queryable } from '../../../lib/db.ts';
import { userError, type UserError } from '../../../lib/errors.ts';
import * as tables from '../db/schema.ts';
import { children, documents, personalData, vehicles, type ChildRow, type DocumentRow, type DocumentType, type PersonalDataRow, type VehicleRow } from '../db/schema.ts';
import { CHECKED_DOCUMENTS, CHECKED_PERSONAL_FIELDS, dataUnderCheck, runningCheck } from './data-check.ts';
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

type Db = Queryable<typeof tables>;
type Saved<T> = { value: T; warnings: UserError[] } | { errors: UserError[] };

const today = (now: Date) => todayIn('Europe/Moscow', now);
const notFound = (field: string) => userError('NOT_FOUND', 'Не найдено: возможно, запись уже удалена.', ['input', field]);

export async function updatePersonalData(db: Db, userId: string, input: Record<string, unknown>, now = new Date()): Promise<Saved<PersonalDataRow>> {
  const checked = checkPersonalData(input, { path: ['input'], today: today(now) });
  if (!checked.ok) return { errors: checked.errors };
  const value = checked.value;
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(personalData).where(eq(personalData.userId, userId)).for('update');
    const lockedChanges = diff(current ?? null, value, CHECKED_PERSONAL_FIELDS);
    if (lockedChanges.length && (await runningCheck(tx, userId))) {
      return { errors: lockedChanges.map((change) => dataUnderCheck(['input', change.field])) };
    }
    // Checked data edited is unchecked again; the Social Fund's answer covered the SNILS too.
    const unchecked = current?.verificationStatus === 'CHECKED' && lockedChanges.length > 0;
    const fields = { ...value, updatedAt: now, ...(unchecked ? { verificationStatus: 'NOT_CHECKED' as const, checkedAt: null } : {}) };
    const [saved] = current
      ? await tx.update(personalData).set(fields).where(eq(personalData.userId, userId)).returning()
      : await tx.insert(personalData).values({ userId, ...fields, createdAt: now }).returning();
    if (unchecked) await tx.update(documents).set({ verificationStatus: 'NOT_CHECKED', checkedAt: null }).where(and(eq(documents.userId, userId), eq(documents.type, 'SNILS')));
    const changes = diff(current ?? null, value, Object.keys(value));
    if (changes.length) await recordChange(tx, { userId, subject: 'PERSONAL_DATA', subjectId: null, subjectName: 'Личные данные', action: current ? 'UPDATED' : 'CREATED', changes }, now);
    return { value: saved!, warnings: checked.warnings };
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
  const [person] = await db.select({ birthDate: personalData.birthDate }).from(personalData).where(eq(personalData.userId, userId));
  const checked = checkDocument(type, input[key] as Record<string, unknown>, { path: ['input', key], birthDate: person?.birthDate ?? null, today: today(now) });
  if (!checked.ok) return { errors: checked.errors };
  const details = checked.value as Record<string, unknown>;
  const documentId = input.documentId as string | null | undefined;
  return db.transaction(async (tx) => {
    if (CHECKED_DOCUMENTS.includes(type) && (await runningCheck(tx, userId))) return { errors: [dataUnderCheck(['input', key])] };
    const [existing] = documentId
      ? await tx.select().from(documents).where(and(eq(documents.id, documentId), eq(documents.userId, userId), eq(documents.type, type)))
      : type === 'FOREIGN_PASSPORT' ? [] : await tx.select().from(documents).where(and(eq(documents.userId, userId), eq(documents.type, type)));
    if (documentId && !existing) return { errors: [notFound('documentId')] };
    const changes = diff(existing?.details ?? null, details);
    const [saved] = existing
      ? await tx
          .update(documents)
          .set({ details, updatedAt: now, ...(changes.length ? { verificationStatus: 'NOT_CHECKED' as const, checkedAt: null, failureReason: null } : {}) })
          .where(eq(documents.id, existing.id))
          .returning()
      : await tx.insert(documents).values({ userId, type, details, createdAt: now, updatedAt: now }).returning();
    // A different SNILS also voids the Social Fund's confirmation of the names.
    if (type === 'SNILS' && existing && changes.length) {
      await tx.update(personalData).set({ verificationStatus: 'NOT_CHECKED', checkedAt: null }).where(and(eq(personalData.userId, userId), ne(personalData.verificationStatus, 'NOT_CHECKED')));
    }
    if (!existing || changes.length) {
      await recordChange(tx, { userId, subject: 'DOCUMENT', subjectId: saved!.id, subjectName: DOCUMENT_NAME[type], action: existing ? 'UPDATED' : 'CREATED', changes }, now);
    }
    return { value: saved!, warnings: checked.warnings };
  });
}

export async function removeDocument(db: Db, userId: string, documentId: string, now = new Date()): Promise<{ errors: UserError[] }> {
  return db.transaction(async (tx) => {
    const [document] = await tx.select().from(documents).where(and(eq(documents.id, documentId), eq(documents.userId, userId)));
    if (!document) return { errors: [notFound('documentId')] };
    if (CHECKED_DOCUMENTS.includes(document.type) && (await runningCheck(tx, userId))) return { errors: [dataUnderCheck(['input', 'documentId'])] };
    await tx.delete(documents).where(eq(documents.id, documentId));
    await recordChange(tx, { userId, subject: 'DOCUMENT', subjectId: documentId, subjectName: DOCUMENT_NAME[document.type], action: 'DELETED', changes: diff(document.details, null) }, now);
    return { errors: [] };
  });
}

const childName = (child: { lastName: string; firstName: string }) => `Ребёнок: ${child.lastName} ${child.firstName}`;

export async function saveChild(db: Db, userId: string, input: Record<string, unknown>, now = new Date()): Promise<Saved<ChildRow>> {
  const checked = checkChild(input, { path: ['input'], today: today(now) });
  if (!checked.ok) return { errors: checked.errors };
  const value = checked.value as Omit<typeof children.$inferInsert, 'userId'>;
  const childId = input.childId as string | null | undefined;
  return db.transaction(async (tx) => {
    const [existing] = childId ? await tx.select().from(children).where(and(eq(children.id, childId), eq(children.userId, userId))) : [];
    if (childId && !existing) return { errors: [notFound('childId')] };
    const [saved] = existing
      ? await tx.update(children).set({ ...value, updatedAt: now }).where(eq(children.id, existing.id)).returning()
      : await tx.insert(children).values({ ...value, userId, createdAt: now, updatedAt: now }).returning();
    const changes = diff(existing ?? null, value, Object.keys(value));
    if (changes.length) await recordChange(tx, { userId, subject: 'CHILD', subjectId: saved!.id, subjectName: childName(saved!), action: existing ? 'UPDATED' : 'CREATED', changes }, now);
    return { value: saved!, warnings: checked.warnings };
  });
}

export async function saveVehicle(db: Db, userId: string, input: Record<string, unknown>, now = new Date()): Promise<Saved<VehicleRow>> {
  const checked = checkVehicle(input, { path: ['input'] });
  if (!checked.ok) return { errors: checked.errors };
  const value = checked.value as Omit<typeof vehicles.$inferInsert, 'userId'>;
  const vehicleId = input.vehicleId as string | null | undefined;
  return db.transaction(async (tx) => {
    const [existing] = vehicleId ? await tx.select().from(vehicles).where(and(eq(vehicles.id, vehicleId), eq(vehicles.userId, userId))) : [];
    if (vehicleId && !existing) return { errors: [notFound('vehicleId')] };
    const [saved] = existing
      ? await tx.update(vehicles).set({ ...value, updatedAt: now }).where(eq(vehicles.id, existing.id)).returning()
      : await tx.insert(vehicles).values({ ...value, userId, createdAt: now, updatedAt: now }).returning();
    const changes = diff(existing ?? null, value, Object.keys(value));
    if (changes.length) await recordChange(tx, { userId, subject: 'VEHICLE', subjectId: saved!.id, subjectName: `${saved!.make} ${saved!.model}`, action: existing ? 'UPDATED' : 'CREATED', changes }, now);
    return { value: saved!, warnings: [] };
  });
}

/** Removes a child or a vehicle of the person, with its history entry. */
export async function removeRecord(db: Db, userId: string, kind: 'CHILD' | 'VEHICLE', id: string, now = new Date()): Promise<{ errors: UserError[] }> {
  const table = kind === 'CHILD' ? children : vehicles;
  return db.transaction(async (tx) => {
    const [removed] = await tx.delete(table).where(and(eq(table.id, id), eq(table.userId, userId))).returning();
    if (!removed) return { errors: [notFound(kind === 'CHILD' ? 'childId' : 'vehicleId')] };
    const subjectName = 'make' in removed ? `${removed.make} ${removed.model}` : childName(removed);
    await recordChange(tx, { userId, subject: kind, subjectId: id, subjectName, action: 'DELETED' }, now);
    return { errors: [] };
  });
}
