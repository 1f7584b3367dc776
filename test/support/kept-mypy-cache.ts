/**
 * A mypy cache kept on this machine from one test run to the next, as uv keeps its package cache: mypy then reads the
 * installed packages' analysis instead of redoing it (most of a cold run's time, minutes for the everything stacks on
 * their own Python versions). mypy checks every cached module against its source (size, hash) and the interfaces it
 * depends on, so a kept entry that no longer matches is analysed afresh: the cache changes the time, never the result.
 *
 * Each user (a shard of the stack matrix) works on a copy of its own, taken when it starts and put back when it ends,
 * so two runs side by side never write one cache at once (mypy's cache is SQLite databases, written in place: the
 * copies are real copies, not links).
 * Folder: AEGIS_MYPY_CACHE_ROOT, else ~/.cache/generator-aegis-tests/mypy; a failure to take or keep one only costs
 * time (the run starts cold).
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const KEPT_MYPY_CACHE_ROOT = process.env.AEGIS_MYPY_CACHE_ROOT ?? join(homedir(), '.cache', 'generator-aegis-tests', 'mypy');

/** `from` copied to `to` (which must not exist), with the files' times (mypy compares them with its entries'). */
function copy(from: string, to: string): void {
  cpSync(from, to, { recursive: true, preserveTimestamps: true });
}

/** The kept cache named `name`, copied to `into` (nothing when none is kept yet). */
export function takeKeptMypyCache(name: string, into: string): void {
  const kept = join(KEPT_MYPY_CACHE_ROOT, name);
  if (!existsSync(kept) || existsSync(into)) return;
  try {
    copy(kept, into);
  } catch {
    rmSync(into, { recursive: true, force: true });
  }
}

/** `from` kept as the cache named `name`, replacing the one kept before. */
export function keepMypyCache(name: string, from: string): void {
  if (!existsSync(from)) return;
  const kept = join(KEPT_MYPY_CACHE_ROOT, name);
  const incoming = `${kept}.incoming-${process.pid}`;
  try {
    mkdirSync(KEPT_MYPY_CACHE_ROOT, { recursive: true });
    copy(from, incoming);
    rmSync(kept, { recursive: true, force: true });
    renameSync(incoming, kept);
  } catch {
    rmSync(incoming, { recursive: true, force: true });
  }
}
