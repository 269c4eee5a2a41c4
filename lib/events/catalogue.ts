import { randomUUID } from 'node:crypto';
import type { AccountLevel } from '../auth.ts';

/**
 * Every event that crosses from one subgraph to another, by type, with its payload. This file is the
 * contract between producers and consumers; docs/events.md explains each. Payloads only grow:
 * a field is never renamed or removed, so an old consumer keeps working.
 */
export interface EventCatalogue {
  /** A new account was created (identity). Profile starts the person's personal data from it. */
  'identity.account-registered': { userId: string; lastName: string; firstName: string; phone: string | null; email: string | null };
  /** The person's confirmed phone or e-mail changed (identity). Notifications sends to them. */
  'identity.contacts-changed': { userId: string; phone: string | null; email: string | null };
  /** The person deleted the account (identity). Every subgraph erases what it holds about them. */
  'identity.account-deleted': { userId: string };
  /** The account level went up or down (identity). */
  'identity.level-changed': {
    userId: string;
    level: AccountLevel;
    previousLevel: AccountLevel;
    /** How the identity was confirmed, for CONFIRMED. */
    confirmationMethod: 'IN_PERSON' | 'POSTAL_CODE' | 'ELECTRONIC_SIGNATURE' | 'BANK' | null;
  };
  /**
   * Something happened to the account's security (identity): a login from a new device, a password
   * change, a revoked session. Notifications turns it into a feed item.
   */
  'identity.security-event': {
    userId: string;
    eventId: string;
    kind: string;
    /** Headline and text for the person, in Russian. */
    title: string;
    body: string;
    occurredAt: string;
  };
  /**
   * An appeal changed status (appeals): registered, in work, clarification requested, redirected,
   * answered, rejected, closed, or its due date was extended. Notifications tells the author.
   */
  'appeals.status-changed': {
    appealId: string;
    /** The author, who is told. */
    userId: string;
    /** Registration number shown to the citizen, e.g. `ПОС-2026-000123`. */
    number: string;
    status: 'REGISTERED' | 'IN_WORK' | 'CLARIFICATION_REQUESTED' | 'REDIRECTED' | 'ANSWERED' | 'REJECTED' | 'CLOSED';
    previousStatus: string | null;
    /** What happened (`SUBMITTED`, `TAKEN_INTO_WORK`, `DUE_DATE_EXTENDED`, …); an extension keeps the status. */
    action?: string;
    authorityName: string;
    /** The authority that has the appeal after the change (after a redirect: the new one); older events lack it. */
    authorityId?: string;
    dueAt: string;
    /** The official's words for the citizen (a rejection reason, a clarification question), if any. */
    comment: string | null;
  };
  /** Appeals went past their due date unanswered (appeals' overdue job): the live queues of their authorities hear it. */
  'appeals.overdue-marked': { authorityIds: string[] };
  /** A feed item was added (notifications): live streams on every instance pass it on. */
  'notifications.item-added': { userId: string; itemId: string };
  /** A person's unread counts may have changed (notifications): live streams send the new counts. */
  'notifications.unread-changed': { userId: string };
  /** Profile's rows of these entities changed (its tables' triggers). */
  'profile.entities-changed': EntitiesChanged;
  /** Appeals' rows of these entities changed (its tables' triggers). */
  'appeals.entities-changed': EntitiesChanged;
  /**
   * The state registers answered a data check (profile): SUCCEEDED raises the account to STANDARD.
   * `passport` is the checked passport, so identity can compare the document an operator sees.
   * On FAILED, `passport` and `snils` are null.
   */
  'profile.data-check-completed': {
    userId: string;
    checkId: string;
    outcome: 'SUCCEEDED' | 'FAILED';
    /** Why it failed, in Russian. */
    reason: string | null;
    passport: { series: string; number: string } | null;
    /** The checked SNILS (11 digits): identity makes it a login. */
    snils: string | null;
  };
}

/**
 * Rows that feed entities of the graph changed (the subgraph's triggers, lib/events/entity-changes.ts,
 * write it in the transaction of the change): the gateway's entity cache drops what it holds of them.
 */
export interface EntitiesChanged {
  /** Each entity once, by its type and id (`{ type: 'User', id }`). */
  entities: { type: string; id: string }[];
}

export type EventType = keyof EventCatalogue;

/** An event as stored and delivered: the id makes redelivery detectable. */
export interface DomainEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  occurredAt: string;
  payload: EventCatalogue[T];
}

/** A new event of `type`, happening now, with a fresh id. */
export function newEvent<T extends EventType>(type: T, payload: EventCatalogue[T]): DomainEvent<T> {
  return { id: randomUUID(), type, occurredAt: new Date().toISOString(), payload };
}
