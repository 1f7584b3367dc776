#!/usr/bin/env node
import { main } from './program.js';

const code = await main(process.argv.slice(2));
// A generator may have set a failing exit code itself (a change that left conflicts) without throwing.
if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
