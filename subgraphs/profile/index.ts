import { remoteTokenKeys } from '../../lib/auth.ts';
import { jwksUrl } from '../../lib/config.ts';
import { runSubgraph } from '../../lib/service.ts';
import { identitySessionStatusFromEnv } from '../../lib/sessions.ts';
import * as tables from './db/schema.ts';
import { createDataCheckRunner } from './domain/data-check.ts';
import { profileEvents } from './events.ts';
import { devRegisters } from './registers.ts';
import { seedDemoData } from './seed.ts';
import { buildProfileService } from './server.ts';

await runSubgraph({
  name: 'profile',
  tables,
  migrations: new URL('./db/migrations', import.meta.url),
  build: async (database) => {
    // No real СМЭВ client yet: the development registers answer after DATA_CHECK_DELAY_MS.
    const dataChecks = createDataCheckRunner(database.db, devRegisters({ delayMs: Number(process.env.DATA_CHECK_DELAY_MS ?? 3000) }));
    await dataChecks.resume();
    const service = await buildProfileService({ database, tokenKeys: remoteTokenKeys(jwksUrl()), sessionStatus: identitySessionStatusFromEnv('profile'), dataChecks });
    return { ...service, stop: () => (dataChecks.stop(), service.stop()) };
  },
  seed: seedDemoData,
  events: profileEvents,
});
