import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Verification } from './personal-data.ts';
import { documents, type DocumentRow, type DocumentType } from './schema.ts';
import type { Db } from './store.ts';

export type NewDocument = typeof documents.$inferInsert;

/** The people's documents, the newest first. */
export function documentsOf(db: Db, userIds: readonly string[]) {
  return db
    .select()
    .from(documents)
    .where(inArray(documents.userId, [...userIds]))
    .orderBy(desc(documents.createdAt), desc(documents.id));
}

/** The person's document `id` (of `type`, when given). */
export async function documentOf(db: Db, userId: string, id: string, type?: DocumentType): Promise<DocumentRow | null> {
  const [document] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, id), eq(documents.userId, userId), type ? eq(documents.type, type) : undefined));
  return document ?? null;
}

/** The person's document of `type` (one of a kind, as all but foreign passports are). */
export async function documentOfType(db: Db, userId: string, type: DocumentType): Promise<DocumentRow | null> {
  const [document] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.userId, userId), eq(documents.type, type)));
  return document ?? null;
}

/** The person's documents of these types. */
export function documentsOfTypes(db: Db, userId: string, types: readonly DocumentType[]): Promise<DocumentRow[]> {
  return db
    .select()
    .from(documents)
    .where(and(eq(documents.userId, userId), inArray(documents.type, [...types])));
}

export async function insertDocument(tx: Db, row: NewDocument): Promise<DocumentRow> {
  const [saved] = await tx.insert(documents).values(row).returning();
  return saved!;
}

export async function updateDocument(tx: Db, id: string, fields: Partial<NewDocument>): Promise<DocumentRow> {
  const [saved] = await tx.update(documents).set(fields).where(eq(documents.id, id)).returning();
  return saved!;
}

export async function deleteDocument(tx: Db, id: string): Promise<void> {
  await tx.delete(documents).where(eq(documents.id, id));
}

/** Inserts rows whose key is not there yet (the demo seed runs on every start; tests build data with it). */
export async function insertDocumentsIfMissing(db: Db, rows: NewDocument[]): Promise<void> {
  if (rows.length) await db.insert(documents).values(rows).onConflictDoNothing();
}

/** Sets where the check of the person's documents of `type` stands. */
export async function setDocumentVerification(tx: Db, userId: string, type: DocumentType, verification: Verification): Promise<void> {
  await tx
    .update(documents)
    .set(verification)
    .where(and(eq(documents.userId, userId), eq(documents.type, type)));
}

/** Sets where the check of these documents stands. */
export async function setDocumentsVerification(tx: Db, ids: string[], verification: Verification): Promise<void> {
  await tx.update(documents).set(verification).where(inArray(documents.id, ids));
}
