import { hasRole, requireSelfOrRole, requireViewer, resolveOwnUser, type Viewer } from '../../lib/auth.ts';
import { decodeTimeIdCursor, forwardPage, lazyConnection, pageSize, timeIdKey } from '../../lib/connection.ts';
import { badUserInput, forbidden } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { referenced } from '../../lib/resolvers.ts';
import { analyticsGroups } from './db/analytics.ts';
import { appealsOfAuthor, appealsOfAuthorCount } from './db/appeals.ts';
import { authoritiesOfRegion } from './db/authorities.ts';
import { queueCount, queuePage, type QueueFilter } from './db/queue.ts';
import type { AppealsDatabase } from './db/store.ts';
import type { AppealRow } from './db/schema.ts';
import { mayReadAppeal } from './domain/access.ts';
import { summariseAnalytics } from './domain/analytics.ts';
import { deleteDraft, loadCalendar, routeAppealPlace, saveDraft, submitAppeal, transition, type TransitionRequest } from './domain/appeals.ts';
import { dueSoonBy } from './domain/calendar.ts';
import { isOverdue, type Action } from './domain/lifecycle.ts';
import { draftRouting, explainRouting, routingBeforeSending, sentRouting } from './domain/routing.ts';
import type { AppealDraftInput, AppealIdInput, AppealInput, AppealTextInput, ResolverFn, Resolvers, ResolversParentTypes, ResolversTypes } from './generated/schema-types.ts';
import type { AppealsLoaders } from './loaders.ts';
import { REGIONS } from './reference-data.ts';

export interface AppealsContext {
  viewer: Viewer | null;
  database: AppealsDatabase;
  loaders: AppealsLoaders;
}

export async function officialAuthorityOf(viewer: Viewer, loaders: AppealsLoaders): Promise<string | null> {
  if (!hasRole(viewer, 'OFFICIAL')) return null;
  return (await loaders.officialByUserId.load(viewer.userId))?.authorityId ?? null;
}

/** Loads an appeal the caller may read: null when there is none, FORBIDDEN when it is someone else's. */
async function readableAppeal(id: string, { viewer, loaders }: AppealsContext): Promise<AppealRow | null> {
  const caller = requireViewer(viewer);
  const appeal = isUuid(id) ? await loaders.appealById.load(id) : null;
  if (!appeal) return null;
  if (!mayReadAppeal(caller, appeal, await officialAuthorityOf(caller, loaders))) throw forbidden('Это обращение вам недоступно.');
  return appeal;
}

const payload = (result: { appeal: AppealRow } | { errors: { field: string[] | null; code: string; message: string }[] }) =>
  'appeal' in result ? { appeal: result.appeal, errors: [] } : { appeal: null, errors: result.errors };

/** The resolver of one state-machine action: who may do it is decided in domain/appeals.ts. */
function act<Input extends AppealIdInput>(
  action: Action | ((input: Input) => Action),
  request: (input: Input) => Omit<TransitionRequest, 'action' | 'appealId'> = () => ({}),
): ResolverFn<ResolversTypes['AppealPayload'], ResolversParentTypes['Mutation'], AppealsContext, { input: Input }> {
  return async (_root, { input }, { viewer, database, loaders }) => {
    const caller = requireViewer(viewer);
    const officialOf = await officialAuthorityOf(caller, loaders);
    const chosen = typeof action === 'function' ? action(input) : action;
    return payload(await transition(database.db, caller, officialOf, { appealId: input.appealId, action: chosen, ...request(input) }));
  };
}

const text = (input: AppealTextInput) => ({ text: input.text });

/** An appeal or a draft as the domain takes it: a complaint's decision date, when left out, is none. */
const appealFields = ({ complaint, ...input }: AppealInput | AppealDraftInput) => ({
  ...input,
  complaint: complaint && { ...complaint, decisionDate: complaint.decisionDate ?? null },
});

export const resolvers: Resolvers = {
  Query: {
    appeal: (_root, { id }, context) => readableAppeal(id, context),
    authorityAppeals: async (_root, args, { viewer, database, loaders }) => {
      const caller = requireViewer(viewer);
      const authorityId = await officialAuthorityOf(caller, loaders);
      if (!authorityId) throw forbidden('Очередь обращений доступна только должностным лицам органа власти.');
      const first = pageSize(args.first);
      const after = decodeTimeIdCursor(args.after);
      const now = new Date();
      const dueBy = args.dueSoon ? dueSoonBy(now, await loadCalendar(database.db)) : null;
      const filter: QueueFilter = { authorityId, overdueOnly: args.overdueOnly ?? false, dueBy, statuses: args.statuses ?? null, topicId: args.topicId ?? null, now };
      return lazyConnection(
        () => queuePage(database.db, filter, first + 1, after).then((rows) => forwardPage(rows, first, (row) => timeIdKey(row.dueAt!, row.id), after !== null)),
        () => queueCount(database.db, filter),
      );
    },
    previewAppealRouting: async (_root, { input }, { database }) => {
      const routed = await routeAppealPlace(database.db, input);
      if ('errors' in routed) return { routing: null, errors: routed.errors };
      return { routing: routingBeforeSending(routed.routing, { topicId: routed.topic.id, regionCode: input.regionCode, municipality: input.municipality?.trim() || null }), errors: [] };
    },
    topics: async (_root, _args, { loaders }) => (await loaders.rubricator()).filter((topic) => topic.parentId === null),
    authorities: (_root, { regionCode }, { database }) => authoritiesOfRegion(database.db, regionCode),
    appealAnalytics: async (_root, { input }, { viewer, database, loaders }) => {
      const caller = requireViewer(viewer);
      if (!hasRole(caller, 'COORDINATOR')) throw forbidden('Аналитика обращений доступна только координаторам.');
      if (input.from > input.to) throw badUserInput('Начало периода позже его конца.');
      const top = input.topPerMunicipality ?? 3;
      if (!Number.isInteger(top) || top < 1 || top > 10) throw badUserInput('Число главных проблем на муниципалитет — от 1 до 10.');
      const now = new Date();
      const filter = { from: input.from, to: input.to, regionCode: input.regionCode ?? null };
      const [groups, rubricator] = await Promise.all([analyticsGroups(database.db, filter, now), loaders.rubricator()]);
      const topicById = new Map(rubricator.map((topic) => [topic.id, topic]));
      const topic = (id: string) => topicById.get(id)!;
      const summary = summariseAnalytics(groups, (id) => topic(id).parentId ?? id, top);
      return {
        totalCount: summary.totalCount,
        overdueShare: summary.totalCount ? summary.late / summary.totalCount : 0,
        averageRating: summary.averageRating,
        countByTopic: summary.countByTopic.map((row) => ({ topic: topic(row.topicId), count: row.count })),
        countByMunicipality: summary.countByMunicipality,
        topProblems: summary.topProblems.map((place) => ({ ...place, problems: place.problems.map((row) => ({ topic: topic(row.topicId), count: row.count })) })),
      };
    },
  },
  Mutation: {
    submitAppeal: async (_root, { input }, { viewer, database }) => payload(await submitAppeal(database.db, requireViewer(viewer), appealFields(input))),
    saveAppealDraft: async (_root, { input }, { viewer, database }) => payload(await saveDraft(database.db, requireViewer(viewer), appealFields(input))),
    deleteAppealDraft: async (_root, { input }, { viewer, database }) => {
      const errors = await deleteDraft(database.db, requireViewer(viewer), input.appealId);
      return { appeal: null, errors };
    },
    replyToClarification: act('CLARIFIED', text),
    rateAppealAnswer: act(
      (input) => (input.reopen ? 'REOPENED' : 'RATED'),
      (input) => ({ score: input.score, text: input.comment ?? null }),
    ),
    takeAppealIntoWork: act('TAKEN_INTO_WORK'),
    requestAppealClarification: act('CLARIFICATION_REQUESTED', text),
    answerAppeal: act('ANSWERED', text),
    redirectAppeal: act('REDIRECTED', (input) => ({ redirectTo: input.authorityId, text: input.reason })),
    rejectAppeal: act('REJECTED', text),
    extendAppealDueDate: act('DUE_DATE_EXTENDED', (input) => ({ days: input.days, text: input.reason })),
  },
  User: {
    // Only the person lists their own appeals; officials reach appeals through their queue.
    __resolveReference: resolveOwnUser(),
    appeals: (user, args, { viewer, database }) => {
      requireSelfOrRole(viewer, user.id);
      const first = pageSize(args.first);
      const after = decodeTimeIdCursor(args.after);
      return lazyConnection(
        () => appealsOfAuthor(database.db, user.id, first + 1, after).then((rows) => forwardPage(rows, first, (row) => timeIdKey(row.createdAt, row.id), after !== null)),
        () => appealsOfAuthorCount(database.db, user.id),
      );
    },
    officialAuthority: async (user, _args, { viewer, loaders }) => {
      const authorityId = await officialAuthorityOf(requireSelfOrRole(viewer, user.id), loaders);
      return authorityId ? loaders.authorityById.load(authorityId) : null;
    },
  },
  Appeal: {
    __resolveReference: ({ id }, context) => readableAppeal(id, context),
    topic: (appeal, _args, { loaders }) => (appeal.topicId ? loaders.topicById.load(appeal.topicId) : null),
    authority: (appeal, _args, { loaders }) => (appeal.authorityId ? loaders.authorityById.load(appeal.authorityId) : null),
    location: (appeal) => (appeal.latitude !== null && appeal.longitude !== null ? { latitude: appeal.latitude, longitude: appeal.longitude } : null),
    extended: (appeal) => appeal.extendedAt !== null,
    isOverdue: (appeal) => isOverdue(appeal, new Date()),
    accelerated: async (appeal, _args, { loaders }) => (appeal.topicId ? ((await loaders.topicById.load(appeal.topicId))?.accelerated ?? false) : false),
    answer: (appeal) => (appeal.answerText && appeal.answeredAt ? { text: appeal.answerText, answeredAt: appeal.answeredAt } : null),
    rating: (appeal) => (appeal.ratingScore !== null && appeal.ratedAt ? { score: appeal.ratingScore, comment: appeal.ratingComment, ratedAt: appeal.ratedAt } : null),
    timeline: (appeal, _args, { loaders }) => loaders.timelineByAppealId.load(appeal.id),
    author: (appeal) => ({ __typename: 'User' as const, id: appeal.authorId }),
    routing: async (appeal, _args, { loaders }) =>
      appeal.status === 'DRAFT' ? draftRouting(appeal, await loaders.routingRules(), await loaders.rubricator()) : sentRouting(appeal, await loaders.timelineByAppealId.load(appeal.id)),
  },
  AppealRouting: {
    authority: async (routing, _args, { loaders }) => referenced(await loaders.authorityById.load(routing.authorityId), `authority ${routing.authorityId}`),
    ruleTopic: (routing, _args, { loaders }) => (routing.ruleTopicId ? loaders.topicById.load(routing.ruleTopicId) : null),
    explanation: async (routing, _args, { loaders }) => {
      const [authority, topic, ruleTopic, from] = await Promise.all([
        loaders.authorityById.load(routing.authorityId),
        loaders.topicById.load(routing.place.topicId),
        routing.ruleTopicId && routing.ruleTopicId !== routing.place.topicId ? loaders.topicById.load(routing.ruleTopicId) : null,
        routing.reassignment?.fromAuthorityId ? loaders.authorityById.load(routing.reassignment.fromAuthorityId) : null,
      ]);
      return explainRouting({
        reason: routing.reason,
        sent: routing.sent,
        authorityName: authority?.name ?? '',
        topicName: topic?.name ?? routing.place.topicId,
        ruleTopicName: ruleTopic?.name ?? null,
        regionName: REGIONS.find((region) => region.code === routing.place.regionCode)?.name ?? `регион ${routing.place.regionCode}`,
        municipality: routing.place.municipality,
        fromAuthorityName: from?.name ?? null,
        comment: routing.reassignment?.comment ?? null,
      });
    },
  },
  AppealReassignment: {
    from: (reassignment, _args, { loaders }) => (reassignment.fromAuthorityId ? loaders.authorityById.load(reassignment.fromAuthorityId) : null),
    reason: (reassignment) => reassignment.comment ?? '',
  },
  AppealTimelineEntry: {
    authority: (entry, _args, { loaders }) => (entry.authorityId ? loaders.authorityById.load(entry.authorityId) : null),
  },
  Topic: {
    parent: (topic, _args, { loaders }) => (topic.parentId ? loaders.topicById.load(topic.parentId) : null),
    children: async (topic, _args, { loaders }) => (await loaders.rubricator()).filter((candidate) => candidate.parentId === topic.id),
  },
};
