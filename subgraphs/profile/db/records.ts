import { and, asc, eq, inArray } from 'drizzle-orm';
import { children, vehicles, type ChildRow, type VehicleRow } from './schema.ts';
import type { Db } from './store.ts';

/** A person's children and vehicles. */

export type ChildFields = Omit<typeof children.$inferInsert, 'userId'>;
export type VehicleFields = Omit<typeof vehicles.$inferInsert, 'userId'>;

/** The people's children, the eldest first. */
export function childrenOf(db: Db, userIds: readonly string[]) {
  return db
    .select()
    .from(children)
    .where(inArray(children.userId, [...userIds]))
    .orderBy(asc(children.birthDate), asc(children.id));
}

/** The people's vehicles in the order they were added. */
export function vehiclesOf(db: Db, userIds: readonly string[]) {
  return db
    .select()
    .from(vehicles)
    .where(inArray(vehicles.userId, [...userIds]))
    .orderBy(asc(vehicles.createdAt), asc(vehicles.id));
}

export async function childOf(db: Db, userId: string, id: string): Promise<ChildRow | null> {
  const [child] = await db
    .select()
    .from(children)
    .where(and(eq(children.id, id), eq(children.userId, userId)));
  return child ?? null;
}

export async function vehicleOf(db: Db, userId: string, id: string): Promise<VehicleRow | null> {
  const [vehicle] = await db
    .select()
    .from(vehicles)
    .where(and(eq(vehicles.id, id), eq(vehicles.userId, userId)));
  return vehicle ?? null;
}

/** Updates the child `existingId`, or adds one when null. */
export async function writeChild(tx: Db, userId: string, existingId: string | null, fields: ChildFields, now: Date): Promise<ChildRow> {
  const [saved] = existingId
    ? await tx
        .update(children)
        .set({ ...fields, updatedAt: now })
        .where(eq(children.id, existingId))
        .returning()
    : await tx
        .insert(children)
        .values({ ...fields, userId, createdAt: now, updatedAt: now })
        .returning();
  return saved!;
}

/** Updates the vehicle `existingId`, or adds one when null. */
export async function writeVehicle(tx: Db, userId: string, existingId: string | null, fields: VehicleFields, now: Date): Promise<VehicleRow> {
  const [saved] = existingId
    ? await tx
        .update(vehicles)
        .set({ ...fields, updatedAt: now })
        .where(eq(vehicles.id, existingId))
        .returning()
    : await tx
        .insert(vehicles)
        .values({ ...fields, userId, createdAt: now, updatedAt: now })
        .returning();
  return saved!;
}

/** Deletes the person's child or vehicle `id`; what was deleted, or null when there was none. */
export async function deleteRecord(tx: Db, kind: 'CHILD' | 'VEHICLE', userId: string, id: string): Promise<ChildRow | VehicleRow | null> {
  const table = kind === 'CHILD' ? children : vehicles;
  const [removed] = await tx
    .delete(table)
    .where(and(eq(table.id, id), eq(table.userId, userId)))
    .returning();
  return removed ?? null;
}

/** Inserts rows whose key is not there yet (the demo seed runs on every start). */
export async function insertChildrenIfMissing(db: Db, rows: (typeof children.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(children).values(rows).onConflictDoNothing();
}

export async function insertVehiclesIfMissing(db: Db, rows: (typeof vehicles.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(vehicles).values(rows).onConflictDoNothing();
}
