import type { EnvReader } from '../../lib/config.ts';
import { messageSender } from '../../lib/delivery.ts';
import type { ChannelAdapters } from './delivery-channels.ts';
import { pushSender } from './push.ts';

/**
 * Notifications' own variables, read at start with every subgraph's (lib/service.ts `runSubgraph`).
 * SMS and e-mail go through the same channel adapters as identity's codes (SMS gateway, SMTP, off,
 * or the dev outbox; notifications posts no letters); push has no provider yet: off, or its dev outbox.
 */
export function notificationsConfig(env: EnvReader) {
  const messages = messageSender(env, ['SMS', 'EMAIL']);
  const adapters: ChannelAdapters = { SMS: messages.routes.SMS, EMAIL: messages.routes.EMAIL, PUSH: pushSender(env) };
  return {
    adapters,
    portalUrl: env.url('PORTAL_URL', ['http:', 'https:'], 'http://localhost:3000'),
  };
}
