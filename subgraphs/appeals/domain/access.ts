import { hasRole, type Viewer } from '../../../lib/auth.ts';
import type { AppealRow } from '../db/schema.ts';

/**
 * Who may read an appeal: its author, an official of the authority it was sent to (`officialOf` is
 * the authority the viewer works for, if any), and coordinators who oversee all authorities.
 * A draft is the author's alone.
 */
export function mayReadAppeal(viewer: Viewer, appeal: Pick<AppealRow, 'authorId' | 'authorityId' | 'status'>, officialOf: string | null): boolean {
  if (viewer.userId === appeal.authorId) return true;
  if (appeal.status === 'DRAFT') return false;
  return (hasRole(viewer, 'OFFICIAL') && officialOf !== null && officialOf === appeal.authorityId) || hasRole(viewer, 'COORDINATOR');
}
