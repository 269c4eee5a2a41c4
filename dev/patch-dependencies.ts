/**
 * Fixes to installed dependencies that their authors have not released yet, applied after every
 * `npm install` / `npm ci` (the `postinstall` script). Each replaces exact texts of one version's
 * files; a file already patched is left alone, and one whose text is not there (another version)
 * stops the install, so a changed dependency is looked at rather than silently left broken.
 * Files are replaced by rename, never written in place: node_modules may be hard-linked.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Patch {
  package: string;
  version: string;
  files: string[];
  /** [original, patched]: every occurrence of the original is replaced. */
  replacements: [string, string][];
}

const PATCHES: Patch[] = [
  {
    // postgres.js 3.4.9 (porsager/postgres#1154, #1208; unreleased fix in PR #1209): a small write is
    // sent on the next tick, and when the connection closed meanwhile (the database going down), the
    // send dereferences the gone socket: an uncaught TypeError that ends the process. Teardown also
    // leaves the write timer set, so later writes on that connection are never sent and its queries
    // hang. Here the send rejects what waits with CONNECTION_CLOSED instead, and teardown resets the timer.
    package: 'postgres',
    version: '3.4.9',
    files: ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js'],
    replacements: [
      [
        '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
        "  function nextWrite(fn) {\n    if (!socket) { // epgu-graph: dev/patch-dependencies.ts\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)",
      ],
      ['    clearImmediate(nextWriteTimer)\n', '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null // epgu-graph: dev/patch-dependencies.ts\n'],
      // A new connection first reads the array types; its promise was left unhandled, so a connection
      // that closed during that query (a database crashing or restarting) was an unhandled
      // rejection, which ends a Node process. The close has already failed what waits on the connection.
      ['        return fetchArrayTypes()\n', '        return fetchArrayTypes().catch(() => {}) // epgu-graph: dev/patch-dependencies.ts\n'],
    ],
  },
];

const modules = fileURLToPath(new URL('../node_modules/', import.meta.url));
let failed = false;
for (const patch of PATCHES) {
  const root = join(modules, patch.package);
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  if (version !== patch.version) {
    console.error(`[patch-dependencies] ${patch.package} is ${version}, the patch is for ${patch.version}: check whether ${version} needs it, then update dev/patch-dependencies.ts`);
    failed = true;
    continue;
  }
  for (const file of patch.files) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    const original = readFileSync(path, 'utf8');
    let text = original;
    for (const [from, to] of patch.replacements) {
      if (text.includes(to)) continue;
      if (!text.includes(from)) {
        console.error(`[patch-dependencies] ${patch.package}/${file}: the text to patch is not there`);
        failed = true;
        continue;
      }
      text = text.replaceAll(from, to);
    }
    if (text === original) continue;
    writeFileSync(`${path}.patched`, text);
    renameSync(`${path}.patched`, path);
    console.log(`[patch-dependencies] patched ${patch.package}/${file}`);
  }
}
process.exit(failed ? 1 : 0);
