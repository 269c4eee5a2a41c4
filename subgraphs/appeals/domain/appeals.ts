import type { Viewer } from '../../../lib/auth.ts';
import { forbidden, userError, type UserError } from '../../../lib/errors.ts';
import { isUuid } from '../../../lib/ids.ts';
import { deleteAppeal, insertAppeal, lockAppeal, nextAppealNumber, updateAppeal } from '../db/appeals.ts';
import { authorityById } from '../db/authorities.ts';
import { productionCalendarDays } from '../db/calendar.ts';
import { allRoutingRules, allTopics, topicById } from '../db/rubricator.ts';
import type { AppealRow, Attachment, Complaint, TopicRow } from '../db/schema.ts';
import { inTransaction, recordEvent, type Db } from '../db/store.ts';
import { appendTimelineEntry, markAppealsOverdueAt } from '../db/timeline.ts';
import { calendarFrom, dateIn, dueDate, endOfDayIn, extendedDueDate, type Calendar } from './calendar.ts';
import { REOPEN_MAX_SCORE, stateProblem, TRANSITIONS, type Action } from './lifecycle.ts';
import { routeAppeal, type Routing } from './routing.ts';

/**
 * Sending and reviewing appeals: the input rules, level gating, routing, registration with a number
 * and a due date, and every transition with its timeline entry and its event, in one transaction.
 */

/** What decides where an appeal goes, and the place it concerns: the routing part of the form. */
export interface PlaceFields {
  topicId?: string | null;
  regionCode?: string | null;
  municipality?: string | null;
  address?: string | null;
  location?: { latitude: number; longitude: number } | null;
}

export interface AppealFields extends PlaceFields {
  kind?: 'APPEAL' | 'COMPLAINT' | null;
  text?: string | null;
  attachments?: Attachment[] | null;
  complaint?: Complaint | null;
}

const TEXT_MIN = 10;
const TEXT_MAX = 5000;
const ATTACHMENTS_MAX = 5;
const ATTACHMENT_BYTES_MAX = 10 * 1024 * 1024;
const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/heic', 'application/pdf', 'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'];

const field = (...path: string[]) => ['input', ...path];

type Problem = UserError | false;
const found = (problems: Problem[]) => problems.filter((problem): problem is UserError => problem !== false);
const required = (draft: boolean, value: unknown, name: string, message: string): Problem => !draft && (value === null || value === undefined || value === '') && userError('REQUIRED', message, field(name));

/** The mistakes of the topic and place (the fields that decide routing); a draft only needs what it has to be well-formed. */
function placeProblems(input: PlaceFields, { draft }: { draft: boolean }): Problem[] {
  return [
    required(draft, input.topicId, 'topicId', 'Выберите тему обращения.'),
    required(draft, input.regionCode, 'regionCode', 'Укажите регион.'),
    input.regionCode != null && !/^\d{2,3}$/.test(input.regionCode) && userError('INVALID_FORMAT', 'Код региона — 2 или 3 цифры, например 50.', field('regionCode')),
    input.municipality != null && input.municipality.length > 200 && userError('TOO_LONG', 'Муниципальное образование — не длиннее 200 символов.', field('municipality')),
    input.address != null && input.address.length > 300 && userError('TOO_LONG', 'Адрес — не длиннее 300 символов.', field('address')),
    input.location != null && (Math.abs(input.location.latitude) > 90 || Math.abs(input.location.longitude) > 180) && userError('INVALID_FORMAT', 'Точка на карте вне допустимых координат.', field('location')),
  ];
}

/** The mistakes of what the appeal says: text, files and a complaint's details. */
function contentProblems(input: AppealFields, { draft }: { draft: boolean }): Problem[] {
  const problems: Problem[] = [
    required(draft, input.text?.trim(), 'text', 'Опишите проблему.'),
    input.text != null && input.text.trim() !== '' && !draft && input.text.trim().length < TEXT_MIN && userError('TOO_SHORT', `Опишите проблему подробнее: не меньше ${TEXT_MIN} символов.`, field('text')),
    input.text != null && input.text.length > TEXT_MAX && userError('TOO_LONG', `Текст обращения — не длиннее ${TEXT_MAX} символов.`, field('text')),
    (input.attachments?.length ?? 0) > ATTACHMENTS_MAX && userError('TOO_MANY_ATTACHMENTS', `Можно приложить не больше ${ATTACHMENTS_MAX} файлов.`, field('attachments')),
  ];
  (input.attachments ?? []).forEach((file, i) => {
    problems.push(
      (!file.name.trim() || file.name.length > 200) && userError('INVALID_FORMAT', 'Имя файла — от 1 до 200 символов.', field('attachments', String(i), 'name')),
      (file.size <= 0 || file.size > ATTACHMENT_BYTES_MAX) && userError('FILE_TOO_LARGE', 'Файл должен быть не больше 10 МБ.', field('attachments', String(i), 'size')),
      !ATTACHMENT_TYPES.includes(file.mimeType) && userError('FILE_TYPE_NOT_ALLOWED', 'Можно приложить фотографии (JPEG, PNG, HEIC), PDF и документы Word.', field('attachments', String(i), 'mimeType')),
    );
  });
  if (input.kind === 'COMPLAINT' && !draft) {
    problems.push(
      !input.complaint && userError('REQUIRED', 'Для жалобы укажите услугу и основание.', field('complaint')),
      input.complaint != null && !input.complaint.serviceName.trim() && userError('REQUIRED', 'Укажите услугу, о которой жалоба.', field('complaint', 'serviceName')),
    );
  }
  return problems;
}

/** Every mistake of an appeal's input at once; a draft only needs what it has to be well-formed. */
export function appealProblems(input: AppealFields, { draft }: { draft: boolean }): UserError[] {
  return found([...placeProblems(input, { draft }), ...contentProblems(input, { draft })]);
}

/** Level gating: appeals from STANDARD, pre-trial complaints only from CONFIRMED accounts. */
export function levelProblem(author: Viewer, kind: 'APPEAL' | 'COMPLAINT'): UserError | null {
  if (kind === 'COMPLAINT' && author.level !== 'CONFIRMED') {
    return userError('CONFIRMED_LEVEL_REQUIRED', 'Досудебную жалобу может подать только владелец подтверждённой учётной записи.', null);
  }
  if (author.level === 'SIMPLIFIED') {
    return userError('STANDARD_LEVEL_REQUIRED', 'Отправлять обращения можно со стандартной или подтверждённой учётной записью. Заполните профиль и пройдите проверку данных.', null);
  }
  return null;
}

/** The production calendar as the `calendar_days` table holds it now (authorities may update it). */
export async function loadCalendar(db: Db): Promise<Calendar> {
  const days = await productionCalendarDays(db);
  return calendarFrom({ holidays: days.filter((day) => !day.working).map((day) => day.day), workingWeekends: days.filter((day) => day.working).map((day) => day.day) });
}

const columnsOf = (input: AppealFields) => ({
  ...(input.kind != null ? { kind: input.kind } : {}),
  ...(input.topicId != null ? { topicId: input.topicId } : {}),
  ...(input.regionCode != null ? { regionCode: input.regionCode } : {}),
  municipality: input.municipality?.trim() || null,
  address: input.address?.trim() || null,
  latitude: input.location?.latitude ?? null,
  longitude: input.location?.longitude ?? null,
  text: input.text?.trim() ?? '',
  attachments: input.attachments ?? [],
  complaint: input.kind === 'COMPLAINT' ? (input.complaint ?? null) : null,
});

/** The appeal `id`, locked to the end of the transaction. */
const lockedAppeal = (tx: Db, id: string) => (isUuid(id) ? lockAppeal(tx, id) : null);

async function ownDraft(tx: Db, authorId: string, draftId: string): Promise<AppealRow | null> {
  const draft = await lockedAppeal(tx, draftId);
  return draft && draft.authorId === authorId && draft.status === 'DRAFT' ? draft : null;
}

const draftNotFound = () => userError('NOT_FOUND', 'Черновик не найден: возможно, он уже отправлен или удалён.', field('draftId'));

const unknownTopic = () => userError('NOT_FOUND', 'Такой темы нет в рубрикаторе.', field('topicId'));

/**
 * Where an appeal on this topic and place goes and by which rule, exactly as submitAppeal sends it
 * (previewAppealRouting asks before sending): the place's mistakes, an unknown topic and a place no
 * rule covers are user errors, as submitAppeal gives them.
 */
export async function routeAppealPlace(db: Db, input: PlaceFields): Promise<{ routing: Routing; topic: TopicRow } | { errors: UserError[] }> {
  const errors = found(placeProblems(input, { draft: false }));
  const topic = input.topicId ? await topicById(db, input.topicId) : null;
  if (input.topicId && !topic) errors.push(unknownTopic());
  if (errors.length || !topic) return { errors };
  const [rules, rubricator] = await Promise.all([allRoutingRules(db), allTopics(db)]);
  const routing = routeAppeal({ topicId: topic.id, regionCode: input.regionCode!, municipality: input.municipality?.trim() || null }, rules, rubricator);
  if (!routing) {
    return { errors: [userError('NO_AUTHORITY_FOR_PLACE', 'Для этой темы и места пока нет ответственного ведомства на платформе. Выберите другую тему или обратитесь напрямую в орган власти.', field('topicId'))] };
  }
  return { routing, topic };
}

export async function saveDraft(db: Db, author: Viewer, input: AppealFields & { draftId?: string | null }, now = new Date()): Promise<{ appeal: AppealRow } | { errors: UserError[] }> {
  const errors = appealProblems(input, { draft: true });
  if (input.topicId && !(await topicById(db, input.topicId))) errors.push(unknownTopic());
  if (errors.length) return { errors };
  return inTransaction(db, async (tx) => {
    if (input.draftId) {
      const draft = await ownDraft(tx, author.userId, input.draftId);
      if (!draft) return { errors: [draftNotFound()] };
      return { appeal: await updateAppeal(tx, draft.id, columnsOf(input)) };
    }
    return { appeal: await insertAppeal(tx, { ...columnsOf(input), authorId: author.userId, status: 'DRAFT', createdAt: now }) };
  });
}

export async function deleteDraft(db: Db, author: Viewer, draftId: string): Promise<UserError[]> {
  return inTransaction(db, async (tx) => {
    const draft = await ownDraft(tx, author.userId, draftId);
    if (!draft) return [draftNotFound()];
    await deleteAppeal(tx, draft.id);
    return [];
  });
}

/** Registration number shown to the citizen: `ПОС-2026-000123`, from one sequence across instances. */
async function nextNumber(tx: Db, now: Date): Promise<string> {
  return `ПОС-${dateIn(now).slice(0, 4)}-${String(await nextAppealNumber(tx)).padStart(6, '0')}`;
}

/** Sends an appeal (or a draft): checks, routes, registers with a number and a due date, and tells the citizen. */
export async function submitAppeal(db: Db, author: Viewer, input: AppealFields & { draftId?: string | null }, now = new Date()): Promise<{ appeal: AppealRow } | { errors: UserError[] }> {
  const kind = input.kind ?? 'APPEAL';
  const level = levelProblem(author, kind);
  if (level) return { errors: [level] };
  const [routed, calendar] = await Promise.all([routeAppealPlace(db, input), loadCalendar(db)]);
  const errors = [...('errors' in routed ? routed.errors : []), ...found(contentProblems({ ...input, kind }, { draft: false }))];
  if (errors.length || 'errors' in routed) return { errors };
  const { routing, topic } = routed;
  return inTransaction(db, async (tx) => {
    const draft = input.draftId ? await ownDraft(tx, author.userId, input.draftId) : null;
    if (input.draftId && !draft) return { errors: [draftNotFound()] };
    const due = dueDate({ kind, registeredOn: dateIn(now), reviewDays: topic.reviewDays, complaintGround: input.complaint?.ground ?? null }, calendar);
    const registered = {
      ...columnsOf({ ...input, kind }),
      kind,
      topicId: topic.id,
      regionCode: input.regionCode!,
      authorityId: routing.authorityId,
      routingReason: routing.reason,
      routingTopicId: routing.ruleTopicId,
      number: await nextNumber(tx, now),
      status: 'REGISTERED' as const,
      registeredAt: now,
      dueAt: endOfDayIn(due),
    };
    const appeal = draft ? await updateAppeal(tx, draft.id, registered) : await insertAppeal(tx, { ...registered, authorId: author.userId, createdAt: now });
    await record(tx, appeal, 'SUBMITTED', 'CITIZEN', author.userId, null, null, now);
    return { appeal };
  });
}

/**
 * Marks the open appeals past their due date (просрочено): one SYSTEM `OVERDUE` entry in each one's
 * timeline, once per due date (db/timeline.ts markAppealsOverdueAt), and an event for the live
 * queues of their authorities. At most `limit` a run, so a backlog (the first run over old data)
 * never holds the timeline for long: the rest go on the next runs. Returns how many it marked.
 */
export async function markOverdueAppeals(db: Db, now = new Date(), limit = 1_000): Promise<number> {
  return inTransaction(db, async (tx) => {
    const marked = await markAppealsOverdueAt(tx, now, limit);
    const authorityIds = [...new Set(marked)];
    if (authorityIds.length) await recordEvent(tx, 'appeals.overdue-marked', { authorityIds });
    return marked.length;
  });
}

/** Writes a timeline entry and the event that tells the citizen (notifications) and live streams. */
async function record(tx: Db, appeal: AppealRow, action: Action | 'SUBMITTED', actor: 'CITIZEN' | 'OFFICIAL', actorId: string, comment: string | null, previousStatus: string | null, now: Date) {
  await appendTimelineEntry(tx, { appealId: appeal.id, at: now, action, status: appeal.status, actor, actorId, authorityId: appeal.authorityId, comment });
  const authority = await authorityById(tx, appeal.authorityId!);
  await recordEvent(tx, 'appeals.status-changed', {
    appealId: appeal.id,
    userId: appeal.authorId,
    number: appeal.number!,
    status: appeal.status as Exclude<AppealRow['status'], 'DRAFT'>,
    previousStatus,
    action,
    authorityName: authority?.name ?? '',
    authorityId: appeal.authorityId!,
    dueAt: appeal.dueAt!.toISOString(),
    comment,
  });
}

export interface TransitionRequest {
  appealId: string;
  action: Action;
  /** What goes with it: a question, an answer, a reason, a reply, a rating comment. */
  text?: string | null;
  redirectTo?: string | null;
  days?: number | null;
  score?: number | null;
}

const TEXT_NEEDED: Partial<Record<Action, string>> = {
  CLARIFICATION_REQUESTED: 'Сформулируйте вопрос к заявителю.',
  CLARIFIED: 'Напишите уточнение.',
  ANSWERED: 'Напишите ответ по существу.',
  REDIRECTED: 'Объясните заявителю, почему обращение перенаправлено.',
  REJECTED: 'Объясните заявителю причину отказа.',
  DUE_DATE_EXTENDED: 'Объясните заявителю, почему срок продлён.',
};

/**
 * Applies one action of the state machine: the caller's role and authority first (FORBIDDEN), then
 * the state (a user error), then the action's own rules; one transaction with the timeline entry and
 * the event.
 */
export async function transition(db: Db, caller: Viewer, officialOf: string | null, request: TransitionRequest, now = new Date()): Promise<{ appeal: AppealRow } | { errors: UserError[] }> {
  const rule = TRANSITIONS[request.action];
  const text = request.text?.trim() ?? '';
  const needsText = TEXT_NEEDED[request.action];
  if (needsText && !text) return { errors: [userError('REQUIRED', needsText, field(request.action === 'REDIRECTED' || request.action === 'DUE_DATE_EXTENDED' ? 'reason' : 'text'))] };
  if (text.length > TEXT_MAX) return { errors: [userError('TOO_LONG', `Текст — не длиннее ${TEXT_MAX} символов.`, field('text'))] };
  return inTransaction(db, async (tx) => {
    const appeal = await lockedAppeal(tx, request.appealId);
    if (!appeal || appeal.status === 'DRAFT') return { errors: [userError('NOT_FOUND', 'Обращение не найдено.', field('appealId'))] };
    if (rule.by === 'CITIZEN' && appeal.authorId !== caller.userId) throw forbidden('Это может сделать только автор обращения.');
    if (rule.by === 'OFFICIAL' && (officialOf === null || officialOf !== appeal.authorityId)) {
      throw forbidden('Это обращение рассматривает другое ведомство: действовать по нему могут только его должностные лица.');
    }
    const problem = stateProblem(appeal, request.action, now);
    if (problem) return { errors: [problem] };

    const set: Partial<AppealRow> = rule.to ? { status: rule.to } : {};
    let comment: string | null = text || null;
    switch (request.action) {
      case 'CLARIFICATION_REQUESTED':
        set.clarificationQuestion = text;
        break;
      case 'CLARIFIED':
        set.clarificationQuestion = null;
        break;
      case 'ANSWERED':
        Object.assign(set, { answerText: text, answeredAt: now });
        break;
      case 'REJECTED':
        set.rejectionReason = text;
        break;
      case 'REDIRECTED': {
        const target = request.redirectTo && isUuid(request.redirectTo) ? await authorityById(tx, request.redirectTo) : null;
        if (!target) return { errors: [userError('NOT_FOUND', 'Такого ведомства нет на платформе.', field('authorityId'))] };
        if (target.id === appeal.authorityId) return { errors: [userError('SAME_AUTHORITY', 'Обращение уже у этого ведомства.', field('authorityId'))] };
        set.authorityId = target.id;
        break;
      }
      case 'DUE_DATE_EXTENDED': {
        if (appeal.kind === 'COMPLAINT') return { errors: [userError('EXTENSION_NOT_ALLOWED', 'Срок рассмотрения досудебной жалобы законом не продлевается.', null)] };
        const extended = extendedDueDate(dateIn(appeal.dueAt!), request.days ?? 0, await loadCalendar(tx));
        if (!extended.ok) return { errors: [extended.error] };
        Object.assign(set, { dueAt: endOfDayIn(extended.dueOn), extendedAt: now });
        break;
      }
      case 'RATED':
      case 'REOPENED': {
        const score = request.score ?? 0;
        if (!Number.isInteger(score) || score < 1 || score > 5) return { errors: [userError('INVALID_RATING', 'Оцените ответ от 1 до 5.', field('score'))] };
        if (request.action === 'REOPENED' && score > REOPEN_MAX_SCORE) {
          return { errors: [userError('REOPEN_NOT_ALLOWED', `Вернуть обращение в работу можно при оценке ${REOPEN_MAX_SCORE} и ниже.`, field('reopen'))] };
        }
        Object.assign(set, { ratingScore: score, ratingComment: text || null, ratedAt: now, ...(request.action === 'REOPENED' ? { reopenedAt: now } : {}) });
        comment = `Оценка ${score} из 5${text ? `: ${text}` : ''}`;
        break;
      }
    }
    const updated = await updateAppeal(tx, appeal.id, set);
    await record(tx, updated, request.action, rule.by, caller.userId, comment, appeal.status, now);
    return { appeal: updated };
  });
}
