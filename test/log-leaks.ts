import { logLeaks } from './log-secrets.ts';

/**
 * Once per run, whichever projects run (vitest.config.ts): after the last test, fail the run if any
 * log line held a secret (test/log-secrets.ts).
 */
export default function setup() {
  return () => {
    // A failing teardown does not change vitest's exit code: set it, and say why.
    const leaks = logLeaks();
    if (leaks.length) {
      console.error(`\nSECRETS IN THE LOGS of this run (test/log-secrets.ts):\n${leaks.map((leak) => `  ${leak.kinds.join(', ')} in ${leak.file}: ${leak.excerpt}`).join('\n')}`);
      process.exitCode = 1;
    }
  };
}
