import { setLogOutput } from '../lib/log.ts';
import { throughConsole } from './logs.ts';

/**
 * Before every test file: the services' JSON log lines (lib/log.ts) go through the console, so
 * vitest's `onConsoleLog` hands each one to the whole-run scan (test/log-secrets.ts) and prints it
 * as usual. Written straight to stdout, as in production, vitest would never see them.
 */
setLogOutput(throughConsole);
