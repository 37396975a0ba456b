// The learner's files in DIR: fresh blank kata files, and archiving of any earlier attempt before it is replaced.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { kataById } from '../../grader/registry.ts';
import type { KataId } from '../../grader/report.ts';

/** Earlier attempts move here, named <kata>-<local time>.ts, so `npm run grade` never picks them up. */
const ARCHIVE_DIR = 'archive';

export function kataFile(dir: string, kata: KataId): string {
  return join(dir, kataById(kata)!.file);
}

/** The whole content of a fresh kata file: comments only. */
export function blankHeader(kata: KataId): string {
  const info = kataById(kata)!;
  return [
    `// Kata ${info.number}: ${info.title}. Export ${info.exports.join(' and ')}.`,
    `// Spec and hints: katas/${kata}/README.md. Each save is graded; import * as tf from '@tensorflow/tfjs'.`,
    '',
  ].join('\n');
}

/** A file with nothing but comments and blank lines has nothing to grade yet. */
export function isBlank(text: string): boolean {
  const withoutBlockComments = text.replace(/\/\*[\s\S]*?\*\//g, '');
  return withoutBlockComments.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('//'));
}

function stamp(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/** Moves a file into DIR/archive under a timestamped name that never collides; returns the new path. */
export function archiveFile(file: string, dir: string, date: Date = new Date()): string {
  const archiveDir = join(dir, ARCHIVE_DIR);
  mkdirSync(archiveDir, { recursive: true });
  const ext = extname(file);
  const stem = basename(file, ext);
  let target = join(archiveDir, `${stem}-${stamp(date)}${ext}`);
  for (let n = 2; existsSync(target); n++) target = join(archiveDir, `${stem}-${stamp(date)}-${n}${ext}`);
  renameSync(file, target);
  return target;
}

/** What changes when a file is saved: modification time, size and inode (editors that save by rename change it). */
export function fileSignature(path: string): string {
  try {
    const st = statSync(path);
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return 'missing';
  }
}

export interface FreshFile {
  file: string;
  /** fileSignature() of the blank as written, so the first save after it is never mistaken for the blank. */
  signature: string;
  /** Where the earlier attempt went, or null when there was none (or it was an untouched blank). */
  archivedTo: string | null;
}

/**
 * Gives the kata a fresh blank file. Anything already there is archived first, unless it is exactly the
 * untouched blank this function writes. The new file is created exclusively, so a file that appears in
 * between is never clobbered.
 */
export function createFreshKataFile(dir: string, kata: KataId, date: Date = new Date()): FreshFile {
  mkdirSync(dir, { recursive: true });
  const file = kataFile(dir, kata);
  const header = blankHeader(kata);
  let archivedTo: string | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (existsSync(file)) {
      if (readFileSync(file, 'utf8') === header) return { file, archivedTo, signature: fileSignature(file) };
      archivedTo = archiveFile(file, dir, date);
    }
    try {
      writeFileSync(file, header, { flag: 'wx' });
      return { file, archivedTo, signature: fileSignature(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`${file} keeps reappearing while a fresh one is being written; is another program writing it?`);
}
