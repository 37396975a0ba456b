// The parent's handle on one sandboxed child: spawns it under kernel limits and the isolation layers this machine
// has (isolation.ts; warm, with tfjs loaded, before any learner code exists), loads one bundle into it, talks to it
// over a private signed channel (channel.ts), and turns every way the child can die (hang, exit, out of memory,
// signal, a flood of output, a forged frame) into a SandboxGone value with a plain message.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { FrameReader, encodeFrame } from './channel.ts';
import { CPU_SECONDS, LIMITS_REFUSED_STATUS, limitedNodeCommand } from './hard-limits.ts';
import { isolatedPrefix, isolation, permissionArgs, tfjsPackageDirs } from './isolation.ts';
import { ownScript } from './own-script.ts';
import { CACHE_DIR } from './paths.ts';
import { type ChildHello, type ErrorInfo, type LoadRequest, type RequestBody, type Response, WARM_UP_FLAG } from './protocol.ts';
import { POLL_MS, descendantsNow, residentMb } from './resident-memory.ts';

export interface SandboxLimits {
  /** Wall-clock budget for loading the module. */
  loadTimeoutMs: number;
  /** Memory the child may map (the kernel's limit where there is one) and keep resident (the poll's), in MB. */
  memoryMb: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { loadTimeoutMs: 15_000, memoryMb: 2048 };

export interface SpawnOptions {
  /**
   * Run tfjs's common kernels a few dozen times before saying it is warm (warm-up.ts): about 0.25 s more to start,
   * and the first grading then runs on compiled kernels. For spares that wait for a save (the kata app), not for a
   * child needed at once.
   */
  warmUp?: boolean;
}

/** What the learner's code may print before the child is stopped: enough for any debugging, far short of a flood. */
export const OUTPUT_LIMIT_BYTES = 1_000_000;

/** How long a fresh child may take to start node and load tfjs before we call the machine broken. */
const WARM_TIMEOUT_MS = 60_000;

export class SandboxGone extends Error {
  override readonly name = 'SandboxGone';
  constructor(
    readonly reason: 'timeout' | 'exit' | 'memory' | 'signal' | 'output' | 'tamper' | 'harness',
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

/** What V8 prints when its heap cannot grow, whether its own cap or the kernel's limit refused it. */
const V8_OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Fatal process out of memory|Allocation failed/i;
/** RangeErrors that V8 and tfjs raise when an allocation is refused. */
const ALLOCATION_REFUSED = /Array buffer allocation failed|Cannot allocate memory|Invalid typed array length|Invalid array buffer length|Out of memory/i;

function isAllocationRefused(e: ErrorInfo): boolean {
  return e.name === 'RangeError' ? ALLOCATION_REFUSED.test(e.message) || V8_OUT_OF_MEMORY.test(e.message) : /out of memory|Cannot allocate memory/i.test(e.message);
}

/** The environment the child starts with: no variable of the user's, only what node needs to run. */
function minimalEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: '/usr/bin:/bin', TF_CPP_MIN_LOG_LEVEL: '3' };
  if (process.platform === 'win32') for (const k of ['PATH', 'SystemRoot', 'TEMP', 'TMP']) env[k] = process.env[k];
  return env;
}

/**
 * Node opens its inspector on SIGUSR1 unless the process listens for that signal: a listener that does nothing
 * keeps any process that can signal the grader (the child cannot, where it has its own pid namespace or user) from
 * taking it over through the debugger.
 */
function refuseInspectorSignal(): void {
  if (process.platform === 'win32' || process.listenerCount('SIGUSR1') > 0) return;
  process.on('SIGUSR1', () => {});
}

let tfjsDirs: string[] | null = null;

/** The folders of children still alive, removed when this process exits (an idle spare is never disposed of). */
const liveDirs = new Set<string>();
let cleanupOnExit = false;
function ownFolder(): string {
  if (!cleanupOnExit) {
    cleanupOnExit = true;
    process.on('exit', () => {
      for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
    });
  }
  mkdirSync(join(CACHE_DIR, 'bundles'), { recursive: true });
  const dir = mkdtempSync(join(CACHE_DIR, 'bundles', 'child-'));
  chmodSync(dir, 0o755);
  liveDirs.add(dir);
  return dir;
}

export class Sandbox {
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: Response) => void; reject: (e: SandboxGone) => void }>();
  private gone: SandboxGone | null = null;
  private goneListeners: ((g: SandboxGone) => void)[] = [];
  private output = '';
  private outputBytes = 0;
  private lastResidentMb = 0;
  private memoryTimer: NodeJS.Timeout;
  private loaded = false;
  /** The key the child signs its frames with once it has loaded; sent with the bundle, before any learner code runs. */
  private readonly key = randomBytes(32);
  private signedFrom = false;
  private readonly reader = new FrameReader();
  private readonly hellos: ((h: ChildHello) => void)[] = [];
  /** Settles when the child has loaded tfjs and waits for a bundle; rejects if it dies first. */
  readonly warm: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly limits: SandboxLimits,
    /** The child's own folder: its working directory, and where its one bundle is put (read-only to it). */
    private readonly dir: string,
    /** The child leads its own process group (killed as a whole on disposal). */
    private readonly ownGroup: boolean,
  ) {
    this.memoryTimer = setInterval(() => {
      const pid = this.child.pid;
      if (!pid || this.gone) return;
      void residentMb(pid).then((mb) => {
        if (mb === null) return;
        this.lastResidentMb = mb;
        if (mb > this.limits.memoryMb) this.kill(this.memoryGone());
      });
    }, POLL_MS);
    this.memoryTimer.unref();
    this.warm = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.kill(new SandboxGone('harness', `the grading process did not start within ${WARM_TIMEOUT_MS / 1000} s`)), WARM_TIMEOUT_MS);
      timer.unref();
      this.hellos.push((m) => {
        clearTimeout(timer);
        if (m.type === 'warm') resolve();
      });
      this.onGone((g) => {
        clearTimeout(timer);
        reject(g);
      });
    });
    this.warm.catch(() => {}); // a child that dies unused is not an error of anyone's
    this.wire();
  }

  /**
   * Starts a child now, before there is anything to load: node starts and loads tfjs while the caller bundles.
   * The child holds no reference on the event loop, so an unused one never keeps a command from exiting; it exits
   * itself when this process does.
   */
  static async spawn(limits: SandboxLimits = DEFAULT_LIMITS, opts: SpawnOptions = {}): Promise<Sandbox> {
    refuseInspectorSignal();
    const [script, iso] = await Promise.all([ownScript('grader/sandbox/child.ts'), isolation()]);
    // Under the project, so that the bundle's bare imports resolve to the project's tfjs; readable by uid 65534.
    const dir = ownFolder();
    tfjsDirs ??= tfjsPackageDirs();
    const readable = [...tfjsDirs, dirname(script), dir];
    // No --enable-source-maps: with it, node reads and parses tfjs's multi-megabyte .map files as tfjs loads (+0.37 s
    // per child); the child turns source maps on itself once tfjs is loaded, before the learner's bundle.
    const nodeArgs = [`--max-old-space-size=${Math.max(256, limits.memoryMb - 256)}`, '--no-warnings', ...permissionArgs(readable), script, ...(opts.warmUp ? [WARM_UP_FLAG] : [])];
    const cmd = limitedNodeCommand(nodeArgs, limits.memoryMb, process.platform, isolatedPrefix(iso, readable));
    const child = spawn(cmd.file, cmd.args, {
      cwd: dir,
      // fd 3 is the private channel; there is no Node IPC channel, so process.send and process.on('message') are inert
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: minimalEnv(),
      // Where no pid namespace holds it, its own process group, so that disposing of it stops anything it started.
      // Not where one does: a new session is a new scheduler autogroup on Linux, and the request/reply ping-pong
      // then waits longer for the CPU on a loaded machine (attention graded in 313–447 ms rather than 243–315 ms).
      detached: process.platform !== 'win32' && iso.os === 'none',
    });
    const sandbox = new Sandbox(child, limits, dir, process.platform !== 'win32' && iso.os === 'none');
    sandbox.setReferenced(false);
    return sandbox;
  }

  /** Spawns a child and loads `bundle` (built from `learnerFile`) into it. */
  static async start(bundle: string, learnerFile: string, limits: SandboxLimits = DEFAULT_LIMITS): Promise<StartResult> {
    return (await Sandbox.spawn(limits)).load(bundle, learnerFile);
  }

  /** Loads the learner's bundle into this (warm or warming) child and waits until the module has loaded. */
  async load(bundle: string, learnerFile: string): Promise<StartResult> {
    if (this.loaded) throw new Error('a sandbox child loads one file only');
    this.loaded = true;
    this.setReferenced(true);
    try {
      await this.warm; // our own start-up (node, tfjs) is not the learner's load time
    } catch (g) {
      return { ok: false, kind: 'gone', gone: g as SandboxGone };
    }
    const loadTimer = setTimeout(
      () => this.kill(new SandboxGone('timeout', `loading your file took longer than ${this.limits.loadTimeoutMs / 1000} s (a loop at the top level?)`)),
      this.limits.loadTimeoutMs,
    );
    return new Promise<StartResult>((resolve) => {
      let settled = false;
      const settle = (r: StartResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(loadTimer);
        resolve(r);
      };
      const onHello = (h: ChildHello) => {
        if (h.type === 'ready') settle({ ok: true, sandbox: this, exports: h.exports });
        else if (h.type === 'load-error') {
          if (isAllocationRefused(h.error)) {
            this.kill(this.memoryGone());
            return;
          }
          settle({ ok: false, kind: 'load-error', error: h.error });
          this.dispose();
        }
      };
      this.onGone((gone) => settle({ ok: false, kind: 'gone', gone }));
      this.hellos.push(onHello);
      // The bundle moves into the child's own folder, the only place under the project it can read.
      const own = join(this.dir, basename(bundle));
      try {
        renameSync(bundle, own);
        chmodSync(own, 0o644);
      } catch (e) {
        this.kill(new SandboxGone('harness', `could not hand your file to the grading process: ${(e as Error).message}`));
        return;
      }
      this.signedFrom = true; // from here on, every frame must carry the key's signature
      this.sendFrame({ type: 'load', bundle: own, learnerFile, key: this.key } satisfies LoadRequest, null);
    });
  }

  /** Sends one request; rejects with SandboxGone if the child dies, runs out of memory or exceeds `timeoutMs`. */
  request(req: RequestBody, timeoutMs: number): Promise<Response> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => this.kill(this.timeoutGone(timeoutMs)), timeoutMs);
      this.pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          // An allocation the kernel refused surfaces as a thrown RangeError (in a sample request, as one run's
          // outcome); the child is stopped, and so is the kata.
          const refused = r.ok ? (r.runs ?? []).some((run) => !run.ok && isAllocationRefused(run.error)) : isAllocationRefused(r.error);
          if (refused) {
            const g = this.memoryGone();
            this.kill(g);
            reject(this.gone ?? g);
          } else resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.sendFrame({ ...req, id }, null);
    });
  }

  /** True until the child is gone (died, was stopped or disposed). */
  alive(): boolean {
    return this.gone === null;
  }

  /** What the learner's code printed, for the report (the child silences tfjs's own banner). */
  printed(): string {
    return this.output.trim();
  }

  dispose(): void {
    clearInterval(this.memoryTimer);
    if (!this.gone) this.gone = new SandboxGone('exit', 'the sandbox was closed');
    this.stop();
  }

  /** Stops the child now; every pending and later request rejects with `g`. */
  kill(g: SandboxGone): void {
    if (this.gone) return;
    this.fail(g);
    this.stop();
  }

  /** Kills the child and its whole process group (its pid namespace dies with it where it has one), and removes its folder. */
  private stop(): void {
    const pid = this.child.pid;
    // unshare and setpriv put node below the process spawned here, and a change of user clears the signal that was
    // to stop it with its parent: every process below dies by name (node is its pid namespace's init, so all in it go).
    if (pid) {
      for (const d of descendantsNow(pid).reverse()) {
        try {
          process.kill(d, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    if (pid && this.ownGroup) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
    liveDirs.delete(this.dir);
  }

  private sendFrame(value: unknown, key: Buffer | null): void {
    (this.child.stdio[3] as Writable | null)?.write(encodeFrame(value, key));
  }

  /** One frame from the child: its hellos, the replies to pending requests, or its report of a tampered engine. */
  private onFrame(value: unknown, signed: boolean): void {
    if (this.signedFrom !== signed) {
      this.kill(new SandboxGone('tamper', "something other than the grader's child wrote to its private channel (forged replies fail the kata)"));
      return;
    }
    const m = value as (ChildHello & { id?: undefined }) | Response;
    if (typeof m !== 'object' || m === null) return;
    if ('type' in m && typeof m.type === 'string') {
      if (m.type === 'tampered') this.kill(new SandboxGone('tamper', m.message));
      else for (const h of this.hellos.splice(0)) h(m);
      return;
    }
    if (typeof m.id !== 'number') return;
    const p = this.pending.get(m.id);
    if (p) {
      this.pending.delete(m.id);
      p.resolve(m);
    }
  }

  private onGone(f: (g: SandboxGone) => void): void {
    if (this.gone) f(this.gone);
    else this.goneListeners.push(f);
  }

  private memoryGone(): SandboxGone {
    return new SandboxGone('memory', `your code tried to use more than ${this.limits.memoryMb} MB and was stopped`);
  }

  private timeoutGone(timeoutMs: number): SandboxGone {
    const held = this.lastResidentMb > this.limits.memoryMb / 4 ? ` (it held ${Math.round(this.lastResidentMb)} MB of memory when stopped)` : '';
    return new SandboxGone('timeout', `your function did not return within ${timeoutMs / 1000} s (an endless loop?)${held}`);
  }

  /** An idle warm child must not keep this process alive; a busy one is kept alive by its request timers anyway. */
  private setReferenced(on: boolean): void {
    const handles = [this.child, this.child.stdio[3], this.child.stdout, this.child.stderr] as ({ ref?: () => void; unref?: () => void } | null | undefined)[];
    for (const h of handles) (on ? h?.ref : h?.unref)?.call(h);
  }

  private fail(g: SandboxGone): void {
    if (this.gone) return;
    this.gone = g;
    clearInterval(this.memoryTimer);
    for (const p of this.pending.values()) p.reject(g);
    this.pending.clear();
    for (const f of this.goneListeners.splice(0)) f(g);
  }

  /** Wires the child's events; called once, from the constructor. */
  private wire(): void {
    const collect = (chunk: Buffer) => {
      this.outputBytes += chunk.length;
      if (this.output.length < 20_000) this.output += chunk.toString();
      if (this.outputBytes > OUTPUT_LIMIT_BYTES) {
        this.kill(new SandboxGone('output', `your code printed more than ${OUTPUT_LIMIT_BYTES / 1e6} MB and was stopped (a print inside a loop?)`));
      }
    };
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
    // A pipe torn down by the kill (ECONNRESET, EPIPE) says nothing the child's exit does not say already.
    for (const s of [this.child.stdout, this.child.stderr, this.child.stdio[3]]) s?.on('error', () => {});
    (this.child.stdio[3] as Readable | null)?.on('data', (chunk: Buffer) => {
      if (this.gone) return;
      let frames;
      try {
        frames = this.reader.push(chunk, this.signedFrom ? this.key : null);
      } catch {
        this.kill(new SandboxGone('tamper', "something other than the grader's child wrote to its private channel (forged replies fail the kata)"));
        return;
      }
      for (const f of frames) this.onFrame(f.value, f.signed);
    });
    this.child.on('error', (err) => this.fail(new SandboxGone('harness', `could not start the grading process: ${err.message}`)));
    this.child.on('exit', (code, signal) => {
      this.fail(this.exitGone(code, signal));
      this.stop(); // whatever it started goes with it
    });
  }

  private exitGone(code: number | null, rawSignal: NodeJS.Signals | null): SandboxGone {
    // bwrap and unshare report a child killed by a signal as 128 + its number
    const status = code ?? 0;
    const wrapped = status > 128 ? (Object.entries(constants.signals).find(([, n]) => n === status - 128)?.[0] as NodeJS.Signals | undefined) : undefined;
    const signal = rawSignal ?? wrapped ?? null;
    if (wrapped) code = null;
    if (V8_OUT_OF_MEMORY.test(this.output)) return this.memoryGone(); // V8 aborted: its heap could not grow
    if (signal === 'SIGXCPU') return new SandboxGone('timeout', `your code used more than ${CPU_SECONDS} s of CPU time and was stopped by the kernel`);
    if (code === LIMITS_REFUSED_STATUS && !this.loaded) {
      return new SandboxGone('harness', 'the grading process could not set its memory and CPU limits (ulimit refused); run npm run doctor');
    }
    if (signal && signal !== 'SIGKILL') return new SandboxGone('signal', `the grading process was killed by ${signal} while running your code`);
    return new SandboxGone('exit', `your code ended the grading process (exit status ${code ?? signal}); do not call process.exit`);
  }
}
