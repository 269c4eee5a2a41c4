import { readFileSync } from 'node:fs';
import { messageSenderFromEnv } from '../../lib/delivery.ts';
import { runSubgraph } from '../../lib/service.ts';
import * as tables from './db/schema.ts';
import { loadTrustedRoots } from './domain/signature.ts';
import { identityEvents } from './events.ts';
import { seedDemoData } from './seed.ts';
import { buildIdentityService } from './server.ts';

const DAY = 24 * 60 * 60 * 1000;

await runSubgraph({
  name: 'identity',
  tables,
  migrations: new URL('./db/migrations', import.meta.url),
  build: (database) =>
    buildIdentityService({
      database,
      sender: messageSenderFromEnv(),
      config: {
        portalUrl: process.env.PORTAL_URL ?? 'http://localhost:3000',
        // A PEM bundle of accredited certification authorities; without it no signature is trusted.
        trustedRoots: process.env.TRUSTED_CA_BUNDLE ? loadTrustedRoots(readFileSync(process.env.TRUSTED_CA_BUNDLE, 'utf8')) : [],
        letterDeliveryMs: Number(process.env.LETTER_DELIVERY_DAYS ?? 14) * DAY,
      },
    }),
  seed: seedDemoData,
  events: identityEvents,
});
