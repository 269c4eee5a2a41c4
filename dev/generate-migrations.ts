/**
 * `npm run db:generate -- <name>`: writes a migration for every subgraph whose drizzle schema changed.
 * drizzle-kit exits 0 even when it stops at an interactive prompt (an ambiguous rename), so its
 * output is read instead of its exit code.
 */
import { spawnSync } from 'node:child_process';
import { SUBGRAPH_NAMES } from '../lib/config.ts';

const name = process.argv[2];
let failed = false;
for (const subgraph of SUBGRAPH_NAMES) {
  const args = ['drizzle-kit', 'generate', '--config', `subgraphs/${subgraph}/drizzle.config.ts`, ...(name ? ['--name', name] : [])];
  const run = spawnSync('npx', args, { encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  console.log(
    `[${subgraph}] ${output
      .trim()
      .split('\n')
      .filter((line) => line && !line.startsWith('npm warn'))
      .at(-1)}`,
  );
  if (run.status !== 0 || /prompt|error/i.test(output)) {
    console.error(output);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
