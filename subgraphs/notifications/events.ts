import { ACCOUNT_LEVELS, type AccountLevel } from '../../lib/auth.ts';
import type { EventCatalogue } from '../../lib/events/catalogue.ts';
import { derivedId, idempotentConsumer } from '../../lib/events/inbox.ts';
import type { SubgraphEvents } from '../../lib/events/pipeline.ts';
import * as tables from './db/schema.ts';
import { saveContacts } from './db/contacts.ts';
import { inbox, outbox } from './db/schema.ts';
import { eraseNotifications } from './db/store.ts';
import { addItem } from './domain/feed.ts';

/** Notifications in the event pipeline (docs/events.md): other subgraphs' events become feed items. */
export const notificationsEvents: SubgraphEvents<typeof tables> = {
  // Its own events (`notifications.*`) feed the live streams of every instance.
  outbox,
  consumers: (database) => [
    idempotentConsumer('notifications', database, inbox, {
      'identity.account-deleted': async (tx, { payload }) => {
        await eraseNotifications(tx, payload.userId);
      },
      // Where to send (db/contacts.ts): the contacts of a new account, then every confirmed change.
      'identity.account-registered': async (tx, { payload, occurredAt }) => {
        await saveContacts(tx, payload.userId, { phone: payload.phone, email: payload.email }, new Date(occurredAt));
      },
      'identity.contacts-changed': async (tx, { payload, occurredAt }) => {
        await saveContacts(tx, payload.userId, { phone: payload.phone, email: payload.email }, new Date(occurredAt));
      },
      // The item's id comes from identity's own security event id: even the same security event
      // recorded twice under two bus events makes one item.
      'identity.security-event': async (tx, { payload }) => {
        await addItem(tx, {
          id: derivedId('identity.security-event', payload.eventId),
          userId: payload.userId,
          category: 'ACCOUNT',
          kind: 'SECURITY',
          title: payload.title,
          body: payload.body,
          details: { kind: payload.kind },
          createdAt: new Date(payload.occurredAt),
        });
      },
      // The registers' answer to a data check: what was confirmed, or why not.
      'profile.data-check-completed': async (tx, event) => {
        const { userId, outcome, reason, checkId } = event.payload;
        await addItem(tx, {
          id: derivedId('profile.data-check-completed', event.id),
          userId,
          category: 'ACCOUNT',
          kind: 'SERVICE_STAGES',
          title: outcome === 'SUCCEEDED' ? 'Данные проверены' : 'Данные не прошли проверку',
          body:
            outcome === 'SUCCEEDED'
              ? // The level is told by identity's own event (levelChangedText): a check that raises
                // nothing (an account already STANDARD, a SNILS taken) must not say it did.
                'Социальный фонд и МВД России подтвердили ваши личные данные, СНИЛС и паспорт.'
              : `${reason ?? 'Ведомства не подтвердили данные.'} Исправьте данные в профиле и запустите проверку снова.`,
          details: { checkId, outcome },
          link: '/profile',
          createdAt: new Date(event.occurredAt),
        });
      },
      'identity.level-changed': async (tx, event) => {
        const { userId, level, previousLevel, confirmationMethod } = event.payload;
        await addItem(tx, {
          id: derivedId('identity.level-changed', event.id),
          userId,
          category: 'ACCOUNT',
          kind: 'SECURITY',
          ...levelChangedText(event.payload),
          details: { level, previousLevel, confirmationMethod },
          createdAt: new Date(event.occurredAt),
        });
      },
      // Every status of an appeal reaches its author, with the official's words when there are any.
      'appeals.status-changed': async (tx, event) => {
        const { userId, appealId, number, status, action, authorityName, dueAt, comment } = event.payload;
        await addItem(tx, {
          id: derivedId('appeals.status-changed', event.id),
          userId,
          category: 'APPEAL',
          kind: 'OTHER',
          title: `Обращение ${number}: ${(action && APPEAL_ACTION_TITLE[action]) ?? APPEAL_STATUS_TITLE[status]}`,
          body: [
            `${authorityName}.`,
            comment,
            status === 'ANSWERED' || status === 'REJECTED' || status === 'CLOSED' ? null : `Срок ответа — ${new Date(dueAt).toLocaleDateString('ru-RU', { timeZone: 'Europe/Moscow' })}.`,
          ]
            .filter(Boolean)
            .join(' '),
          details: { status },
          appealId,
          dueAt: new Date(dueAt),
          link: `/appeals/${appealId}`,
          createdAt: new Date(event.occurredAt),
        });
      },
    }),
  ],
};

const APPEAL_STATUS_TITLE: Record<EventCatalogue['appeals.status-changed']['status'], string> = {
  REGISTERED: 'зарегистрировано',
  IN_WORK: 'взято в работу',
  CLARIFICATION_REQUESTED: 'нужны уточнения',
  REDIRECTED: 'перенаправлено в другое ведомство',
  ANSWERED: 'получен ответ',
  REJECTED: 'отклонено',
  CLOSED: 'закрыто',
};

/** Actions that say more than the status they leave: an extension keeps the status. */
const APPEAL_ACTION_TITLE: Record<string, string> = {
  DUE_DATE_EXTENDED: 'срок рассмотрения продлён',
  REOPENED: 'возвращено в работу после оценки',
  CLARIFIED: 'уточнение передано в ведомство',
};

const LEVEL_NAME: Record<AccountLevel, string> = { SIMPLIFIED: 'упрощённая', STANDARD: 'стандартная', CONFIRMED: 'подтверждённая' };

/** «понижен до …»: the level a lowered account is left with. */
const LOWERED_TO: Record<AccountLevel, string> = { SIMPLIFIED: 'упрощённой', STANDARD: 'стандартной', CONFIRMED: 'подтверждённой' };

const LEVEL_GIVES: Record<AccountLevel, string> = {
  SIMPLIFIED: 'Доступны справочная информация, проверка штрафов и задолженностей.',
  STANDARD: 'Доступны основные услуги портала.',
  CONFIRMED: 'Доступны все услуги портала.',
};

type ConfirmationMethod = NonNullable<EventCatalogue['identity.level-changed']['confirmationMethod']>;

/** How the identity was confirmed: in the headline, then in the text. */
const CONFIRMED_BY: Record<ConfirmationMethod, { title: string; body: string }> = {
  IN_PERSON: { title: 'лично в центре обслуживания', body: 'в центре обслуживания по паспорту' },
  POSTAL_CODE: { title: 'кодом из письма', body: 'кодом из заказного письма' },
  ELECTRONIC_SIGNATURE: { title: 'электронной подписью', body: 'квалифицированной электронной подписью' },
  BANK: { title: 'через банк', body: 'через банк' },
};

/**
 * The feed item, in Russian, that tells a person their account level changed: the headline says
 * which change (the two raises apart, and how the identity was confirmed), the text what it gives.
 */
export function levelChangedText({ level, previousLevel, confirmationMethod }: EventCatalogue['identity.level-changed']): { title: string; body: string } {
  const gives = LEVEL_GIVES[level];
  if (ACCOUNT_LEVELS.indexOf(level) < ACCOUNT_LEVELS.indexOf(previousLevel)) {
    return { title: `Уровень учётной записи понижен до ${LOWERED_TO[level]}`, body: `Теперь у вас ${LEVEL_NAME[level]} учётная запись. ${gives}` };
  }
  if (level === 'STANDARD') {
    return { title: 'Учётная запись стандартная: данные проверены', body: `Государственные реестры проверили ваши СНИЛС и паспорт, теперь у вас стандартная учётная запись. ${gives}` };
  }
  const by = confirmationMethod ? CONFIRMED_BY[confirmationMethod] : null;
  return {
    title: by ? `Учётная запись подтверждена: ${by.title}` : 'Учётная запись подтверждена',
    body: `${by ? `Личность подтверждена ${by.body}, теперь` : 'Теперь'} у вас подтверждённая учётная запись. ${gives}`,
  };
}
