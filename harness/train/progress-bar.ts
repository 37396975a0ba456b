// Console progress for a training run: step, loss, tokens/s and an ETA bar, redrawn in place on a terminal.

/** Where progress goes: process.stdout, or anything with write (tests). */
export interface OutputStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  total: number;
  /** Steps between printed lines when the output is not a terminal. */
  every: number;
  stream?: OutputStream;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function bar(fraction: number, width = 20): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

/** "step  120/2000 │ loss 2.4567 │ 2,950 tok/s │ [█░░░]   6% │ ETA 3m12s" */
function progressLine(step: number, total: number, loss: number, tokensPerS: number, etaS: number): string {
  const width = String(total).length;
  const pct = `${Math.floor((100 * step) / total)}%`.padStart(4);
  return (
    `step ${String(step).padStart(width)}/${total} │ loss ${loss.toFixed(4)} │ ` +
    `${Math.round(tokensPerS).toLocaleString('en-US')} tok/s │ ${bar(step / total)} ${pct} │ ETA ${formatDuration(etaS)}`
  );
}

export class Progress {
  private readonly stream: OutputStream;
  private readonly tty: boolean;
  private live = false;

  constructor(private readonly opts: ProgressOptions) {
    this.stream = opts.stream ?? process.stdout;
    this.tty = Boolean(this.stream.isTTY);
  }

  /** After step `step` (1-based count of steps done). */
  update(step: number, loss: number, tokensPerS: number, etaS: number): void {
    const line = progressLine(step, this.opts.total, loss, tokensPerS, etaS);
    if (this.tty) {
      this.stream.write(`\r\x1b[2K${line}`);
      this.live = true;
    } else if (step % this.opts.every === 0 || step === this.opts.total) {
      this.stream.write(`${line}\n`);
    }
  }

  /** A permanent line (eval results, messages) above the live bar. */
  print(line: string): void {
    if (this.live) this.stream.write('\r\x1b[2K');
    this.live = false;
    this.stream.write(`${line}\n`);
  }

  done(): void {
    if (this.live) this.stream.write('\n');
    this.live = false;
  }
}
