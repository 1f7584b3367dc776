#!/usr/bin/env node
import module from 'node:module';
import { nodeRefusal } from '../shared/node-version.js';

// First, before anything else is loaded: on a Node outside package.json's engines (Node 20 and older; Yeoman 10
// crashes there on a missing Set.prototype.union), one line naming the Node found, the range needed and how to get
// it, and a non-zero exit; nothing is read or written.
const refusal = nodeRefusal(process.version);
if (refusal !== undefined) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}

// Node ≥ 22.1 keeps the compiled code of the bundle's chunks in its compile cache (NODE_COMPILE_CACHE, else a folder
// under the OS temp folder; never the project), so a command after the first skips most of V8's parsing and
// compiling. Enabled before anything else is loaded: the program is imported only after.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { main } = await import('./program.js');
const code = await main(process.argv.slice(2));
// A generator may have set a failing exit code itself (a change that left conflicts) without throwing.
if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
