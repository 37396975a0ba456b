// Keeps what Dawn prints from a command's own process away from the user: once WebGPU will be used, the command runs
// again as a child whose stderr passes through a filter that drops Dawn's known, harmless lines.
//
// Dawn writes from native code to file descriptor 2, and Node has no dup2 to point that elsewhere for a while. So a
// command that will load Dawn (the probe found an adapter, and --backend is webgpu, or auto with a hardware adapter)
// is re-run with stderr piped through us; everything else it writes reaches the terminal unchanged, stdin and stdout
// are the terminal's own. Costs one more Node start-up (about a second), and only where WebGPU is used.
import { spawn } from 'node:child_process';
import { PROBE_ENV, isHarmlessDawnLine, probeWebGPU, type WebGPUProbe } from '../backends/webgpu-probe.ts';

/** Set in the re-run command, so it does not re-run itself again. */
const CHILD_ENV = 'GPT_KATA_QUIET_DAWN';

/**
 * Returns at once when Dawn will not be loaded in this process, in the re-run child, and with GPT_KATA_DEBUG set (which
 * asks to see everything). Otherwise re-runs this command as a filtered child and exits as it exits: never returns.
 */
export async function quietDawn(willLoadDawn: (probe: WebGPUProbe) => boolean): Promise<void> {
  if (process.env[CHILD_ENV] === '1' || process.env.GPT_KATA_DEBUG) return;
  const probe = await probeWebGPU();
  if (!probe.adapter || !willLoadDawn(probe)) return;
  await rerunFiltered(probe);
}

/** For a command with --backend: webgpu loads Dawn on any adapter, auto on a hardware one only, the others never. */
export function quietDawnForBackend(backend: string | undefined): Promise<void> {
  const choice = backend ?? 'auto';
  if (choice !== 'webgpu' && choice !== 'auto') return Promise.resolve(); // no need even to probe
  return quietDawn((probe) => choice === 'webgpu' || probe.adapter?.software === false);
}

function rerunFiltered(probe: WebGPUProbe): Promise<never> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'pipe'],
    env: { ...process.env, [CHILD_ENV]: '1', [PROBE_ENV]: JSON.stringify(probe) }, // the child need not probe again
  });
  let pending = '';
  const pass = (line: string) => {
    if (!isHarmlessDawnLine(line)) process.stderr.write(`${line}\n`);
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    lines.forEach(pass);
  });
  // Ctrl-C and a hang-up reach the child from the terminal itself (one process group): wait for it to finish with them.
  const ignore = () => {};
  const forward = () => child.kill('SIGTERM');
  process.on('SIGINT', ignore);
  process.on('SIGHUP', ignore);
  process.on('SIGTERM', forward);
  return new Promise<never>(() => {
    child.on('close', (code, signal) => {
      if (pending) pass(pending);
      if (signal) {
        process.off('SIGINT', ignore);
        process.off('SIGHUP', ignore);
        process.off('SIGTERM', forward);
        process.kill(process.pid, signal); // end as the child ended
      }
      process.exit(code ?? 1);
    });
    child.on('error', (err) => {
      process.stderr.write(`could not re-run the command with Dawn's output filtered: ${err.message}\n`);
      process.exit(1);
    });
  });
}
