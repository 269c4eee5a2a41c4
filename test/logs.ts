import { setLogOutput } from '../lib/log.ts';

/** Each log line (lib/log.ts) through the console: vitest's `onConsoleLog` then hands it to the whole-run scan. */
export const throughConsole = (line: string): void => console.log(line.trimEnd());

/**
 * Keeps every line the services' logger writes from now until `stop()`, as written (each ends with
 * a newline), still passing each on to the console and the scan.
 */
export function captureLogs() {
  const written: string[] = [];
  setLogOutput((line) => {
    written.push(line);
    throughConsole(line);
  });
  return {
    /** Everything written, joined: what a log collector reading the stream would get. */
    text: () => written.join(''),
    /** The lines of that text, each parsed as the JSON object it must be. */
    entries: () =>
      written
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: () => setLogOutput(throughConsole),
  };
}
