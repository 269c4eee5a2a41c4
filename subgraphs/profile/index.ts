import { remoteTokenKeys } from '../../lib/auth.ts';
import { runSubgraph } from '../../lib/service.ts';
import { identitySessionStatusOf } from '../../lib/sessions.ts';
import { profileConfig } from './config.ts';
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
  config: profileConfig,
  build: async (database, { config }) => {
    const dataChecks = createDataCheckRunner(database.db, devRegisters({ delayMs: config.dataCheckDelayMs }));
    await dataChecks.resume();
    const service = await buildProfileService({ database, tokenKeys: remoteTokenKeys(config.jwksUrl), sessionStatus: identitySessionStatusOf(config, 'profile'), dataChecks, configured: config });
    return { ...service, stop: () => (dataChecks.stop(), service.stop()) };
  },
  seed: seedDemoData,
  events: profileEvents,
});
