import { userError, type UserError } from '../../../lib/errors.ts';
import type { AppealRow, AppealStatus } from '../db/schema.ts';

/**
 * The life of an appeal as a state machine (статусы обращения): which action, by whom, from which
 * statuses, to which. Everything else is refused: by role and authority with FORBIDDEN, by state
 * with a user error naming the status.
 */

/** Statuses after which nothing is due from the authority any more. */
export const FINISHED_STATUSES = ['ANSWERED', 'REJECTED', 'CLOSED'] as const satisfies readonly AppealStatus[];

/** Statuses in which the authority still owes an answer. */
export const OPEN_STATUSES = ['REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED'] as const satisfies readonly AppealStatus[];

export const isFinished = (status: AppealStatus) => (FINISHED_STATUSES as readonly string[]).includes(status);

/** Overdue (просрочено): still open and past its due date; db/appeals.ts overdueAt is the same rule in SQL, for many. */
export const isOverdue = (appeal: Pick<AppealRow, 'status' | 'dueAt'>, now: Date): boolean => appeal.dueAt !== null && appeal.dueAt < now && (OPEN_STATUSES as readonly string[]).includes(appeal.status);

export type Action = 'TAKEN_INTO_WORK' | 'CLARIFICATION_REQUESTED' | 'CLARIFIED' | 'ANSWERED' | 'REDIRECTED' | 'REJECTED' | 'DUE_DATE_EXTENDED' | 'RATED' | 'REOPENED';

export type Actor = 'CITIZEN' | 'OFFICIAL';

interface Transition {
  by: Actor;
  from: readonly AppealStatus[];
  /** The status after it; null keeps the status (an extension). */
  to: AppealStatus | null;
}

export const TRANSITIONS: Record<Action, Transition> = {
  TAKEN_INTO_WORK: { by: 'OFFICIAL', from: ['REGISTERED', 'REDIRECTED'], to: 'IN_WORK' },
  CLARIFICATION_REQUESTED: { by: 'OFFICIAL', from: ['IN_WORK'], to: 'CLARIFICATION_REQUESTED' },
  CLARIFIED: { by: 'CITIZEN', from: ['CLARIFICATION_REQUESTED'], to: 'IN_WORK' },
  ANSWERED: { by: 'OFFICIAL', from: ['IN_WORK'], to: 'ANSWERED' },
  REDIRECTED: { by: 'OFFICIAL', from: ['REGISTERED', 'IN_WORK'], to: 'REDIRECTED' },
  REJECTED: { by: 'OFFICIAL', from: OPEN_STATUSES, to: 'REJECTED' },
  DUE_DATE_EXTENDED: { by: 'OFFICIAL', from: OPEN_STATUSES, to: null },
  RATED: { by: 'CITIZEN', from: ['ANSWERED'], to: 'CLOSED' },
  REOPENED: { by: 'CITIZEN', from: ['ANSWERED'], to: 'IN_WORK' },
};

export const STATUS_NAME: Record<AppealStatus, string> = {
  DRAFT: 'черновик',
  REGISTERED: 'зарегистрировано',
  IN_WORK: 'в работе',
  CLARIFICATION_REQUESTED: 'запрошено уточнение',
  REDIRECTED: 'перенаправлено',
  ANSWERED: 'дан ответ',
  REJECTED: 'отклонено',
  CLOSED: 'закрыто',
};

const ACTION_NAME: Record<Action, string> = {
  TAKEN_INTO_WORK: 'взять в работу',
  CLARIFICATION_REQUESTED: 'запросить уточнение',
  CLARIFIED: 'ответить на запрос уточнения',
  ANSWERED: 'дать ответ',
  REDIRECTED: 'перенаправить',
  REJECTED: 'отклонить',
  DUE_DATE_EXTENDED: 'продлить срок',
  RATED: 'оценить ответ',
  REOPENED: 'вернуть в работу',
};

/** Whether the status allows the action; the role and authority are checked before, by the caller. */
export function stateProblem(appeal: Pick<AppealRow, 'status' | 'extendedAt' | 'reopenedAt' | 'registeredAt'>, action: Action, now: Date): UserError | null {
  const { from } = TRANSITIONS[action];
  if (!from.includes(appeal.status)) {
    return userError('TRANSITION_NOT_ALLOWED', `Нельзя ${ACTION_NAME[action]}: обращение в статусе «${STATUS_NAME[appeal.status]}».`, null);
  }
  if (action === 'DUE_DATE_EXTENDED' && appeal.extendedAt) return userError('ALREADY_EXTENDED', 'Срок рассмотрения уже продлевался: продлить его можно только один раз.', null);
  if (action === 'REOPENED' && appeal.reopenedAt) return userError('ALREADY_REOPENED', 'Обращение уже возвращалось в работу после оценки: повторно вернуть нельзя.', null);
  // 59-FZ art. 8 part 3: an appeal goes to the competent body within 7 days of registration.
  if (action === 'REDIRECTED' && appeal.registeredAt && now.getTime() - appeal.registeredAt.getTime() > 7 * 86_400_000) {
    return userError('REDIRECT_TOO_LATE', 'Перенаправить обращение можно в течение 7 дней с регистрации. Дайте ответ по существу или отклоните с объяснением.', null);
  }
  return null;
}

/** A low rating (1 or 2) may send the appeal back to work once. */
export const REOPEN_MAX_SCORE = 2;
