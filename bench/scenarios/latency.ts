import { load } from '../load.ts';
import type { Operation } from '../queries.ts';
import { checkAnswer, loadOptions, ms, perSecond, type ScenarioContext, type ScenarioResult } from '../scenario.ts';

/** p50/p99 of each operation at concurrency 1 through our gateway, against a p99 target. */
export async function latencyAtConcurrencyOne(
  { system, settings, log }: ScenarioContext,
  { title, targetMs, operations }: { title: string; targetMs: number; operations: { operation: Operation; token: string; found: (data: Record<string, unknown>) => number }[] },
): Promise<ScenarioResult> {
  const rows: (string | number)[][] = [];
  let worst = 0;
  for (const { operation, token, found } of operations) {
    const matching = found(await checkAnswer(system.gatewayUrl, operation, token));
    log(`${operation.name}`);
    const result = await load(system.gatewayUrl, operation, loadOptions(settings, 1, [token]));
    worst = Math.max(worst, result.p99);
    rows.push([operation.name, matching, perSecond(result.requestsPerSecond), ms(result.p50), ms(result.p99), result.failures]);
  }
  return {
    title,
    columns: ['operation', 'rows matching', 'req/s', 'p50 ms', 'p99 ms', 'failures'],
    rows,
    targets: [{ target: `${title.replace(/^\d+\. /, '')}: p99 under ${targetMs} ms at concurrency 1`, met: worst < targetMs, detail: `worst p99 ${ms(worst)} ms` }],
  };
}
