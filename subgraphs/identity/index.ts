import { runSubgraph } from '../../lib/service.ts';
import * as tables from './db/schema.ts';
import { seedDemoData } from './seed.ts';
import { buildIdentityService } from './server.ts';

await runSubgraph({
  name: 'identity',
  tables,
  migrations: new URL('./db/migrations', import.meta.url),
  build: (database) => buildIdentityService({ database }),
  seed: seedDemoData,
});
