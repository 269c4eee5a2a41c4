import type { EnvReader } from '../../lib/config.ts';

/** Profile's own variables, read at start with every subgraph's (lib/service.ts `runSubgraph`). */
export function profileConfig(env: EnvReader) {
  // No real СМЭВ client yet: the development registers answer after DATA_CHECK_DELAY_MS.
  return { dataCheckDelayMs: env.duration('DATA_CHECK_DELAY_MS', 3000, { min: 0, max: 600_000 }) };
}
