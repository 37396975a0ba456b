// Kata texts for the UI: the spec and three hint tiers parsed from katas/<kata>/README.md, and the reference solution.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KataId } from '../../grader/report.ts';

/** The project root, where katas/ and grader/ live, whatever the learner's DIR is. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type HintTier = 1 | 2 | 3;

interface Hint {
  tier: HintTier;
  title: string;
  body: string;
}

export interface KataDoc {
  title: string;
  summary: string;
  spec: string;
  rules: string;
  hints: Hint[];
}

/** A text the UI shows, or the reason it cannot (said so on screen instead of crashing). */
export type Loaded<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Parses `# Kata N: title`, a summary paragraph, `## Spec`, `## Rules` and `## Hint 1: ...` to `## Hint 3: ...`.
 * Headings inside code fences are content. Unknown sections are ignored; missing ones come back empty.
 */
export function parseKataReadme(text: string): KataDoc {
  const doc: KataDoc = { title: '', summary: '', spec: '', rules: '', hints: [] };
  const sections: { name: string; lines: string[] }[] = [{ name: 'summary', lines: [] }];
  let fenced = false;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (!fenced && /^# /.test(line) && !doc.title) {
      doc.title = line.slice(2).replace(/^Kata\s+\d+\s*[:.\-–—]\s*/i, '').trim();
      continue;
    }
    if (!fenced && /^## /.test(line)) {
      sections.push({ name: line.slice(3).trim(), lines: [] });
      continue;
    }
    sections.at(-1)!.lines.push(line);
  }
  const body = (lines: string[]): string => lines.join('\n').replace(/^\n+|\s+$/g, '');
  for (const { name, lines } of sections) {
    const hint = /^Hint\s+([123])\s*[:.\-–—]?\s*(.*)$/i.exec(name);
    if (hint) doc.hints.push({ tier: Number(hint[1]) as HintTier, title: hint[2]!.trim(), body: body(lines) });
    else if (name === 'summary') doc.summary = body(lines);
    else if (/^spec/i.test(name)) doc.spec = body(lines);
    else if (/^rules?/i.test(name)) doc.rules = body(lines);
  }
  doc.hints.sort((a, b) => a.tier - b.tier);
  return doc;
}

function readText(path: string, what: string): Loaded<string> {
  try {
    return { ok: true, value: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : `unreadable (${code ?? String(error)})`;
    return { ok: false, problem: `${what} ${path} ${why}.` };
  }
}

export function loadKataDoc(kata: KataId, root: string = PROJECT_ROOT): Loaded<KataDoc> {
  const text = readText(join(root, 'katas', kata, 'README.md'), 'Kata notes');
  if (!text.ok) return { ok: false, problem: `${text.problem} No spec or hints to show for this kata.` };
  return { ok: true, value: parseKataReadme(text.value) };
}

export function loadReference(kata: KataId, root: string = PROJECT_ROOT): Loaded<string> {
  return readText(join(root, 'grader', 'katas', kata, 'reference.ts'), 'Reference solution');
}
