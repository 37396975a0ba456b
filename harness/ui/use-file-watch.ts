// Hook: reports saves of the watched kata files: fs.watch on the folder for speed, plus polling as a safety net
// for file systems whose events are unreliable (network drives, WSL, some containers).
import { watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import { useEffect, useEffectEvent, useRef } from 'react';
import type { KataId } from '../../grader/report.ts';
import { fileSignature as signature } from './workspace.ts';

export interface WatchedFile {
  kata: KataId;
  path: string;
  /** The signature it had when the app wrote it; without one, the file as first seen counts as unchanged. */
  baseline?: string;
}

/** 1 s: a save is noticed within a second even with no file events at all; a stat of five files costs nothing. */
const POLL_MS = 1000;
/**
 * Editors write a file in several steps (truncate and write, or write a copy and rename it), each an event within a
 * millisecond or two of the last; wait this long after the last event before looking. A file still changing after
 * that is looked at again on its next event, or by the poll.
 */
const SETTLE_MS = 30;

export function useFileWatch(
  dir: string,
  files: readonly WatchedFile[],
  onChange: (kata: KataId, at: number) => void,
  pollMs: number = POLL_MS,
  /** false: polling only, as on a file system without events (the tests use it to prove the fallback works). */
  events: boolean = true,
): void {
  const changed = useEffectEvent(onChange); // the latest callback, without restarting the watcher
  /** The files as of this render; `key` below says when the set of paths changed. */
  const currentFiles = useEffectEvent(() => files);
  /** Last seen signature per path; kept across re-renders so a save is never absorbed into a new baseline. */
  const seen = useRef(new Map<string, string>());
  const key = files.map((f) => `${f.kata}=${f.path}`).join('\n');

  useEffect(() => {
    const files = currentFiles();
    if (files.length === 0) return;
    for (const f of files) if (!seen.current.has(f.path)) seen.current.set(f.path, f.baseline ?? signature(f.path));
    const check = (f: WatchedFile): void => {
      const sig = signature(f.path);
      if (sig === seen.current.get(f.path)) return;
      seen.current.set(f.path, sig);
      if (sig !== 'missing') changed(f.kata, Date.now());
    };
    const pending = new Map<string, NodeJS.Timeout>();
    let watcher: FSWatcher | null = null;
    try {
      if (!events) throw new Error('file events off');
      watcher = watch(dir, (_event, name) => {
        const f = files.find((x) => basename(x.path) === String(name ?? ''));
        if (!f) return;
        clearTimeout(pending.get(f.path));
        pending.set(f.path, setTimeout(() => check(f), SETTLE_MS));
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = null;
      });
    } catch {
      watcher = null; // no file events here (or too many watches): polling alone still notices every save
    }
    const poll = setInterval(() => files.forEach(check), pollMs);
    return () => {
      clearInterval(poll);
      for (const t of pending.values()) clearTimeout(t);
      watcher?.close();
    };
    // `key` stands for `files`: a new array with the same paths must not restart the watcher.
  }, [dir, key, pollMs, events]);
}
