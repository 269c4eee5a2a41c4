// `node --import ./bench/driver/register.mjs`: a subgraph process whose database driver records every
// statement it sends (bench/driver/postgres.mjs), for the SQL-per-operation scenario.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
