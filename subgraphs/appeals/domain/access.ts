import { hasRole, type Viewer } from '../../lib/auth.ts';
import type { AppealRow } from './db/schema.ts';

/** The rules of appeals, free of GraphQL and SQL. */

/** Statuses after which nothing is due from the authority any more. */
export const FINISHED_STATUSES = ['ANSWERED', 'REJECTED', 'CLOSED'] as const satisfies readonly AppealRow['status'][];

export const isOverdue = (appeal: Pick<AppealRow, 'status' | 'dueAt'>, now: Date): boolean =>
  appeal.dueAt < now && !(FINISHED_STATUSES as readonly string[]).includes(appeal.status);

/**
 * Who may read an appeal: its author, an official of the authority it was sent to (`officialOf` is
 * the authority the viewer works for, if any), and coordinators who oversee all authorities.
 */
export function mayReadAppeal(viewer: Viewer, appeal: Pick<AppealRow, 'authorId' | 'authorityId'>, officialOf: string | null): boolean {
  return (
    viewer.userId === appeal.authorId ||
    (hasRole(viewer, 'OFFICIAL') && officialOf === appeal.authorityId) ||
    hasRole(viewer, 'COORDINATOR')
  );
}
