import { hasRole, requireSelfOrRole, requireViewer, type Viewer } from '../../lib/auth.ts';
import { decodeTimeIdCursor, forwardPage, lazyConnection, pageSize, timeIdKey } from '../../lib/connection.ts';
import type { MessageSender } from '../../lib/delivery.ts';
import { forbidden, userError, type UserError } from '../../lib/errors.ts';
import { sessionEnded } from '../../lib/sessions.ts';
import { formatSnils } from '../../lib/format.ts';
import { accountById, findAccountByLogin } from './db/accounts.ts';
import { codeById } from './db/codes.ts';
import type { Account } from './db/schema.ts';
import { securityEventsCount, securityEventsPage } from './db/security-events.ts';
import { sessionById } from './db/sessions.ts';
import type { IdentityDatabase } from './db/store.ts';
import * as account from './domain/account.ts';
import type { IssuedCode } from './domain/codes.ts';
import { maskEmail, maskPhone, parseLogin } from './domain/credentials.ts';
import * as levels from './domain/levels.ts';
import { confirmSignIn, signIn, type SignInResult } from './domain/login.ts';
import * as passwords from './domain/password.ts';
import { generatePassword } from './domain/passwords.ts';
import * as registration from './domain/registration.ts';
import { SECURITY_EVENT_KINDS, type Device } from './domain/security-log.ts';
import { endOtherSessions, liveSessionCount, liveSessions, sessionStatus, refreshSession, revokeSession, type SessionTokens } from './domain/sessions.ts';
import type { IdentityLoaders } from './loaders.ts';
import type { Resolvers } from './generated/schema-types.ts';
import type { TokenIssuer } from './tokens.ts';

export interface IdentityConfig {
  /** Where the portal's front end opens links from e-mails. */
  portalUrl: string;
  /** PEM certificates of the certification authorities whose qualified signatures are trusted. */
  trustedRoots: string[];
  /** How long a registered letter takes (about two weeks; less in development). */
  letterDeliveryMs: number;
}

export interface IdentityContext {
  viewer: Viewer | null;
  database: IdentityDatabase;
  loaders: IdentityLoaders;
  tokens: TokenIssuer;
  sender: MessageSender;
  config: IdentityConfig;
  /** Where the request came from, as the gateway reports it. */
  device: Device;
}

/** Staff who may look at another person's account: an operator confirming an identity. */
const MAY_READ_OTHERS = ['OPERATOR'] as const;

const deps = (context: IdentityContext) => ({ db: context.database.db, tokens: context.tokens, sender: context.sender, portalUrl: context.config.portalUrl });

/**
 * The signed-in person's account, from a session that is still live: a revoked session's access
 * token stops working here at once, not only when it expires.
 */
async function currentAccount({ viewer, database, loaders }: IdentityContext): Promise<Account> {
  const caller = requireViewer(viewer);
  const [account, status] = await Promise.all([loaders.accountById.load(caller.userId), caller.sessionId ? sessionStatus(database.db, caller.userId, caller.sessionId) : null]);
  if (!account) throw sessionEnded('ACCOUNT_DELETED');
  if (status && !status.live) throw sessionEnded(status.reason);
  return account;
}

/** The account an operator acts on; null when there is none (a mistyped id: the operator's to fix, so `errors`). */
async function operatorTarget(context: IdentityContext, userId: string): Promise<Account | null> {
  const caller = requireViewer(context.viewer);
  if (!hasRole(caller, 'OPERATOR')) throw forbidden('Это действие доступно только оператору центра обслуживания.');
  return /^[0-9a-f-]{36}$/i.test(userId) ? ((await context.loaders.accountById.load(userId)) ?? null) : null;
}

const noTargetAccount = userError('ACCOUNT_NOT_FOUND', 'Учётная запись не найдена: проверьте её идентификатор.', ['input', 'userId']);

const authPayload = (result: { session: SessionTokens } | { errors: UserError[] }) =>
  'errors' in result
    ? { errors: result.errors }
    : { accessToken: result.session.accessToken, accessTokenExpiresAt: result.session.accessTokenExpiresAt, refreshToken: result.session.refreshToken, user: result.session.account, errors: [] };

const codeSent = (issued: IssuedCode, channel: 'SMS' | 'EMAIL', recipient: string) => ({
  ...issued,
  channel,
  sentTo: channel === 'SMS' ? maskPhone(recipient) : maskEmail(recipient),
});

/** What the person typed as a contact, to mask in `sentTo`. */
const typedContact = (input: { phone?: string | null; email?: string | null }) => {
  const parsed = parseLogin((input.phone ?? input.email ?? '').trim());
  return parsed ? { channel: parsed.kind === 'phone' ? ('SMS' as const) : ('EMAIL' as const), value: parsed.value } : null;
};

const codeSentPayload = (result: IssuedCode | { errors: UserError[] }, contact: { channel: 'SMS' | 'EMAIL'; value: string } | null) =>
  'errors' in result ? { codeSent: null, errors: result.errors } : { codeSent: codeSent(result, contact!.channel, contact!.value), errors: [] };

const accountPayload = async (errors: UserError[], context: IdentityContext, userId: string) => ({
  user: errors.length ? null : await accountById(context.database.db, userId),
  errors,
});

function loginPayload(result: SignInResult) {
  if (result.outcome === 'FAILED') return { errors: [result.error] };
  if (result.outcome === 'SMS_CODE_REQUIRED') {
    const { requestId, expiresAt, resendAvailableAt, maskedPhone } = result;
    return { smsCodeSent: { requestId, expiresAt, resendAvailableAt, channel: 'SMS' as const, sentTo: maskedPhone }, errors: [] };
  }
  return authPayload({ session: result.session });
}

export const resolvers: Resolvers = {
  Query: {
    me: async (_root, _args, context) => currentAccount(context),
    generatePassword: () => generatePassword(),
    findAccount: async (_root, { login }, context) => {
      if (!hasRole(requireViewer(context.viewer), 'OPERATOR')) throw forbidden('Поиск учётных записей доступен только оператору центра обслуживания.');
      const identifier = parseLogin(login);
      return identifier ? findAccountByLogin(context.database.db, identifier) : null;
    },
  },
  Mutation: {
    login: async (_root, { input }, context) => loginPayload(await signIn(deps(context), input.login, input.password, { ...context.device, deviceName: input.deviceName ?? null })),
    confirmLogin: async (_root, { input }, context) => loginPayload(await confirmSignIn(deps(context), input.requestId, input.code, context.device)),
    refreshSession: async (_root, { input }, context) => authPayload(await refreshSession(context.database.db, context.tokens, input.refreshToken)),
    logout: async (_root, _args, context) => {
      const me = await currentAccount(context);
      const ended = context.viewer?.sessionId ? await revokeSession(context.database.db, me.id, context.viewer.sessionId, 'LOGOUT', context.device) : false;
      return { revokedCount: ended ? 1 : 0, user: me, errors: [] };
    },
    revokeSession: async (_root, { input }, context) => {
      const me = await currentAccount(context);
      const ended = /^[0-9a-f-]{36}$/i.test(input.sessionId) && (await revokeSession(context.database.db, me.id, input.sessionId, 'REVOKED_BY_USER', context.device));
      return ended ? { revokedCount: 1, user: me, errors: [] } : { revokedCount: 0, user: me, errors: [userError('SESSION_NOT_FOUND', 'Сеанс не найден или уже завершён.', ['input', 'sessionId'])] };
    },
    revokeOtherSessions: async (_root, _args, context) => {
      const me = await currentAccount(context);
      const revokedCount = await endOtherSessions(context.database.db, me.id, context.viewer?.sessionId ?? null, context.device);
      return { revokedCount, user: me, errors: [] };
    },

    startRegistration: async (_root, { input }, context) => codeSentPayload(await registration.startRegistration(deps(context), input, context.device), typedContact(input)),
    resendRegistrationCode: async (_root, { input }, context) => {
      const result = await registration.resendRegistrationCode(deps(context), input.requestId);
      if ('errors' in result) return { codeSent: null, errors: result.errors };
      const code = await codeById(context.database.db, result.requestId);
      return { codeSent: codeSent(result, code!.channel, code!.recipient), errors: [] };
    },
    confirmRegistrationContact: async (_root, { input }, context) => {
      const { errors } = await registration.confirmRegistrationContact(deps(context), input.requestId, input.code);
      return { confirmed: errors.length === 0, errors };
    },
    completeRegistration: async (_root, { input }, context) => authPayload(await registration.completeRegistration(deps(context), input, context.device)),

    changePassword: async (_root, { input }, context) => {
      const me = await currentAccount(context);
      const errors = await passwords.changePassword(deps(context), me, { ...input, endOtherSessions: input.endOtherSessions ?? true, currentSessionId: context.viewer?.sessionId ?? null }, context.device);
      return accountPayload(errors, context, me.id);
    },
    startPasswordRecovery: async (_root, { input }, context) => {
      const result = await passwords.startPasswordRecovery(deps(context), input.login, context.device);
      if ('errors' in result) return { codeSent: null, errors: result.errors };
      return { codeSent: result, errors: [] };
    },
    completePasswordRecovery: async (_root, { input }, context) => authPayload(await passwords.completePasswordRecovery(deps(context), input, context.device)),
    replaceTemporaryPassword: async (_root, { input }, context) => authPayload(await passwords.replaceTemporaryPassword(deps(context), input, context.device)),
    issueTemporaryPassword: async (_root, { input }, context) => {
      const target = await operatorTarget(context, input.userId);
      if (!target) return { temporaryPassword: null, user: null, errors: [noTargetAccount] };
      const temporaryPassword = await passwords.issueTemporaryPassword(deps(context), target, context.device);
      return { temporaryPassword, user: await accountById(context.database.db, target.id), errors: [] };
    },
    setTwoStepLogin: async (_root, { input }, context) => {
      const me = await currentAccount(context);
      return accountPayload(await account.setTwoStepLogin(deps(context), me, input.enabled, input.password, context.device), context, me.id);
    },
    startContactChange: async (_root, { input }, context) => {
      const me = await currentAccount(context);
      return codeSentPayload(await account.startContactChange(deps(context), me, input, context.device), typedContact(input));
    },
    confirmContactChange: async (_root, { input }, context) => {
      const me = await currentAccount(context);
      return accountPayload(await account.confirmContactChange(deps(context), me, input.requestId, input.code, context.device), context, me.id);
    },
    setMobilePin: async (_root, { input }, context) => {
      const me = await currentAccount(context);
      const session = context.viewer?.sessionId ? await sessionById(context.database.db, context.viewer.sessionId) : null;
      if (!session || session.authMethod === 'PIN') {
        return { user: null, errors: [userError('FULL_LOGIN_REQUIRED', 'ПИН-код можно задать только после входа по паролю.')] };
      }
      return accountPayload(await account.setMobilePin(deps(context), me, input, context.device), context, me.id);
    },
    loginWithPin: async (_root, { input }, context) => authPayload(await account.signInWithPin(deps(context), input.deviceId, input.pin, context.device)),
    deleteAccount: async (_root, { input }, context) => {
      const me = await currentAccount(context);
      const errors = await account.deleteAccount(deps(context), me, input.password, context.device);
      return { deletedUserId: errors.length ? null : me.id, errors };
    },

    confirmIdentityInPerson: async (_root, { input }, context) => {
      const target = await operatorTarget(context, input.userId);
      if (!target) return { user: null, errors: [noTargetAccount] };
      const errors = await levels.confirmInPerson(context.database.db, target, { series: input.passportSeries, number: input.passportNumber }, context.device);
      return accountPayload(errors, context, target.id);
    },
    orderConfirmationLetter: async (_root, { input }, context) => {
      const me = await currentAccount(context);
      const result = await levels.orderConfirmationLetter(context.database.db, context.sender, me, input, context.config.letterDeliveryMs);
      return 'errors' in result ? { letter: null, errors: result.errors } : { letter: result, errors: [] };
    },
    confirmIdentityWithLetterCode: async (_root, { input }, context) => {
      const me = await currentAccount(context);
      return accountPayload(await levels.confirmWithLetterCode(context.database.db, me, input.code, context.device), context, me.id);
    },
    startSignatureConfirmation: async (_root, _args, context) => {
      const me = await currentAccount(context);
      const result = await levels.startSignatureConfirmation(context.database.db, me);
      return result.errors ? { errors: result.errors } : { ...result, errors: [] };
    },
    confirmIdentityWithSignature: async (_root, { input }, context) => {
      const me = await currentAccount(context);
      return accountPayload(await levels.confirmWithSignature(context.database.db, me, input, context.config.trustedRoots, context.device), context, me.id);
    },
  },
  User: {
    __resolveReference: async (user, { viewer, loaders }) => {
      requireSelfOrRole(viewer, user.id, MAY_READ_OTHERS);
      return loaders.accountById.load(user.id);
    },
    snils: (me) => (me.snils ? formatSnils(me.snils) : null),
    sessions: async (me, args, { viewer, database }) => {
      requireSelfOrRole(viewer, me.id);
      const first = pageSize(args.first);
      const after = decodeTimeIdCursor(args.after);
      return lazyConnection(
        () => liveSessions(database.db, me.id, first + 1, after).then((rows) => forwardPage(rows, first, (row) => timeIdKey(row.lastUsedAt, row.id), after !== null)),
        () => liveSessionCount(database.db, me.id),
      );
    },
    securityEvents: async (me, args, { viewer, database }) => {
      requireSelfOrRole(viewer, me.id);
      const first = pageSize(args.first);
      const after = decodeTimeIdCursor(args.after);
      return lazyConnection(
        () => securityEventsPage(database.db, me.id, first + 1, after).then((rows) => forwardPage(rows, first, (row) => timeIdKey(row.occurredAt, row.id), after !== null)),
        () => securityEventsCount(database.db, me.id),
      );
    },
  },
  Session: {
    current: (session, _args, { viewer }) => session.id === viewer?.sessionId,
  },
  SecurityEvent: {
    title: (event) => SECURITY_EVENT_KINDS[event.kind as keyof typeof SECURITY_EVENT_KINDS]?.title ?? event.kind,
  },
};
