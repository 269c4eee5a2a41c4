import { randomUUID } from 'node:crypto';
import type { EventOf } from '../lib/events/bus.ts';
import { newEvent } from '../lib/events/catalogue.ts';

/** Events about one person for the event bus tests: a titled security event, and the account's deletion. */
export function eventsAbout(userId: string) {
  return {
    securityEvent: (title: string) => newEvent('identity.security-event', { userId, eventId: randomUUID(), kind: 'LOGIN', title, body: '', occurredAt: new Date().toISOString() }),
    accountDeleted: () => newEvent('identity.account-deleted', { userId }),
  };
}

/** What a consumer received, by the security events' titles (other events by their type). */
export const titles = (events: EventOf[]) => events.map((event) => (event.type === 'identity.security-event' ? event.payload.title : event.type));
