// The parent's handle on one sandboxed child: starts it with time and memory limits, sends requests, and turns
// every way the child can die (hang, exit, out of memory, signal) into a SandboxGone value with a plain message.
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { execaNode } from 'execa';
import { ownScript } from './own-script.ts';
import { PROJECT_ROOT } from './paths.ts';
import type { ChildHello, ErrorInfo, Request, RequestBody, Response } from './protocol.ts';

export interface SandboxLimits {
  /** Wall-clock budget for loading the module. */
  loadTimeoutMs: number;
  /** Resident memory the child may use before it is killed. */
  memoryMb: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { loadTimeoutMs: 15_000, memoryMb: 2048 };

export class SandboxGone extends Error {
  override readonly name = 'SandboxGone';
  constructor(
    readonly reason: 'timeout' | 'exit' | 'memory' | 'signal',
    message: string,
  ) {
    super(message);
  }
  static is(e: unknown): e is SandboxGone {
    return e instanceof SandboxGone;
  }
}

export type StartResult =
  | { ok: true; sandbox: Sandbox; exports: Record<string, string> }
  | { ok: false; kind: 'load-error'; error: ErrorInfo }
  | { ok: false; kind: 'gone'; gone: SandboxGone };

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export class Sandbox {
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: Response) => void; reject: (e: SandboxGone) => void }>();
  private gone: SandboxGone | null = null;
  private output = '';
  private memoryTimer: NodeJS.Timeout;

  private constructor(
    private readonly child: ChildProcess,
    private readonly limits: SandboxLimits,
    private readonly onGone: (g: SandboxGone) => void,
  ) {
    this.memoryTimer = setInterval(() => {
      const pid = this.child.pid;
      if (pid && rssMb(pid) > this.limits.memoryMb) {
        this.kill(new SandboxGone('memory', `your code used more than ${this.limits.memoryMb} MB of memory and was stopped`));
      }
    }, 100);
  }

  /** Starts a child on `bundle` (built from `learnerFile`) and waits until the module has loaded. */
  static async start(bundle: string, learnerFile: string, limits: SandboxLimits = DEFAULT_LIMITS): Promise<StartResult> {
    const script = await ownScript('harness/sandbox/child.ts');
    const child = execaNode(script, [bundle, learnerFile], {
      cwd: PROJECT_ROOT,
      ipc: true,
      serialization: 'advanced',
      nodeOptions: [`--max-old-space-size=${Math.max(256, limits.memoryMb - 256)}`, '--enable-source-maps', '--no-warnings'],
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      env: { TF_CPP_MIN_LOG_LEVEL: '3' },
    });
    return new Promise<StartResult>((resolve) => {
      let settled = false;
      const settle = (r: StartResult) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve(r);
        }
      };
      const sandbox = new Sandbox(child, limits, (gone) => settle({ ok: false, kind: 'gone', gone })).init();
      const timer = setTimeout(
        () => sandbox.kill(new SandboxGone('timeout', `loading your file took longer than ${limits.loadTimeoutMs / 1000} s (a loop at the top level?)`)),
        limits.loadTimeoutMs,
      );
      child.once('message', (hello: unknown) => {
        const h = hello as ChildHello;
        if (h.type === 'ready') settle({ ok: true, sandbox, exports: h.exports });
        else {
          settle({ ok: false, kind: 'load-error', error: h.error });
          sandbox.dispose();
        }
      });
    });
  }

  /** Sends one request; rejects with SandboxGone if the child dies or exceeds `timeoutMs`. */
  request(req: RequestBody, timeoutMs: number): Promise<Response> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(
        () => this.kill(new SandboxGone('timeout', `your function did not return within ${timeoutMs / 1000} s (an endless loop?)`)),
        timeoutMs,
      );
      this.pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ ...req, id } as Request);
    });
  }

  /** What the learner's code printed, for the report (the child silences tfjs's own banner). */
  printed(): string {
    return this.output.trim();
  }

  dispose(): void {
    clearInterval(this.memoryTimer);
    if (!this.gone) this.gone = new SandboxGone('exit', 'the sandbox was closed');
    this.child.kill('SIGKILL');
  }

  /** Stops the child now; every pending and later request rejects with `g`. */
  kill(g: SandboxGone): void {
    if (this.gone) return;
    this.fail(g);
    this.child.kill('SIGKILL');
  }

  private fail(g: SandboxGone): void {
    if (this.gone) return;
    this.gone = g;
    clearInterval(this.memoryTimer);
    for (const p of this.pending.values()) p.reject(g);
    this.pending.clear();
    this.onGone(g);
  }

  /** Wires the child's events; called once, right after construction. */
  private init(): this {
    const collect = (chunk: Buffer) => {
      if (this.output.length < 20_000) this.output += chunk.toString();
    };
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
    this.child.on('message', (msg: unknown) => {
      const res = msg as Response;
      if (typeof res !== 'object' || res === null || typeof res.id !== 'number') return;
      const p = this.pending.get(res.id);
      if (p) {
        this.pending.delete(res.id);
        p.resolve(res);
      }
    });
    this.child.on('exit', (code, signal) => {
      const why = /heap out of memory|Reached heap limit/.test(this.output)
        ? new SandboxGone('memory', `your code ran out of memory (over ${this.limits.memoryMb} MB) and was stopped`)
        : signal && signal !== 'SIGKILL'
          ? new SandboxGone('signal', `the grading process was killed by ${signal} while running your code`)
          : new SandboxGone('exit', `your code ended the grading process (exit status ${code ?? signal}); do not call process.exit`);
      this.fail(why);
    });
    return this;
  }
}
