// Is there a WebGPU adapter? Asked of Dawn in a child process, so what Dawn prints is captured and told in our words.
//
// Dawn writes its warnings straight to file descriptor 2 from native code (e.g. "Warning: Couldn't load Vulkan:
// libvulkan.so.1 ... at operator() (.../BackendVk.cpp:368)" on every machine without the Vulkan loader). Node cannot
// redirect its own fd 2 (no dup2), so the question is asked in a child whose stderr is a pipe we read, and Dawn is
// loaded into a command's own process only once this probe found an adapter the command will use.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sharedLibraries } from './shared-libs.ts';

/** What the adapter says about itself, plus our verdict on whether it is a CPU emulation. */
export interface AdapterReport {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly software: boolean; // llvmpipe/lavapipe, SwiftShader, WARP: correct but slower than the CPU backends
}

export interface WebGPUProbe {
  readonly adapter?: AdapterReport; // absent when no adapter at all
  readonly icds: readonly string[]; // Vulkan driver manifests the loader would read
  readonly reason: string;
  /** What Dawn printed while it looked, in our words, one finding each (empty when it said nothing). */
  readonly dawnSaid: readonly string[];
}

/** Set in a command's environment by the parent that already probed (see harness/cli/quiet-dawn.ts): the probe, as JSON. */
export const PROBE_ENV = 'GPT_KATA_WEBGPU_PROBE';

// Names under which software rasterisers report themselves.
const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;

/** True for an adapter that emulates a GPU on the CPU. */
export function isSoftwareAdapter(info: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean }): boolean {
  if (info.isFallbackAdapter === true || info.architecture === 'software') return true;
  return SOFTWARE.test(`${info.vendor ?? ''} ${info.device ?? ''} ${info.description ?? ''}`);
}

/** One line: "nvidia hopper: NVIDIA H200 (hardware)". */
export function describeAdapter(a: AdapterReport): string {
  const head = [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown vendor';
  return `${head}: ${a.description || a.device || 'no description'} (${a.software ? 'software, CPU-emulated' : 'hardware'})`;
}

/** Vulkan ICD manifests: VK_DRIVER_FILES / VK_ICD_FILENAMES when set, else the standard directories. */
function vulkanDrivers(env: NodeJS.ProcessEnv = process.env): string[] {
  const explicit = env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES;
  if (explicit) return explicit.split(':').filter(Boolean);
  const dirs = ['/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d'];
  return dirs.filter((d) => existsSync(d)).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => join(d, f)));
}

const INSTALL_VULKAN = "apt-get install libvulkan1, plus your GPU's Vulkan driver, or Mesa >= 25 mesa-vulkan-drivers for a software adapter";

// Dawn's messages that we recognise: the pattern, and what it means in our words. A `secondary` one (a consequence of
// another) is told only when nothing else was recognised.
const KNOWN: readonly { re: RegExp; say: (m: RegExpExecArray) => string; secondary?: true }[] = [
  { re: /Couldn't load Vulkan: (\S+?): cannot open shared object file/, say: (m) => `the Vulkan loader ${m[1]} is not installed (${INSTALL_VULKAN})` },
  { re: /Couldn't load Vulkan: (\S+?): (.*)/, say: (m) => `the Vulkan loader ${m[1]} could not be loaded (${m[2]!.trim()}; ${INSTALL_VULKAN})` },
  { re: /Couldn't load Vulkan: (.*)/, say: (m) => `the Vulkan loader could not be loaded (${m[1]!.trim()}; ${INSTALL_VULKAN})` },
  { re: /loader_get_json: Failed to open JSON file (\S+)/, say: (m) => `the Vulkan driver manifest ${m[1]} does not exist (check VK_DRIVER_FILES / VK_ICD_FILENAMES)` },
  { re: /vkCreateInstance: Found no drivers/, say: () => "Vulkan found no driver (install your GPU's Vulkan driver, or Mesa >= 25 lavapipe for a software one)" },
  { re: /vkCreateInstance failed with (\w+)/, say: (m) => `Vulkan would not start (${m[1]})`, secondary: true },
  { re: /(\w+) artificially reduced from (\d+) to (\d+)/, say: (m) => `limit ${m[1]} capped at ${m[3]} (the driver offers ${m[2]}; harmless)` },
  { re: /(shader\w*ArrayDynamicIndexing) required/, say: (m) => `the Vulkan driver lacks ${m[1]}, which Dawn requires (Mesa older than 25?)` },
];

/** A Dawn backtrace line: "    at operator() (/home/runner/.../BackendVk.cpp:368)". */
const BACKTRACE = /^\s+at .*\(.*\.(?:cpp|cc|c|h|mm):\d+\)\s*$/;

/** A line Dawn prints that tells the user nothing they can act on: a limit it caps, or its source backtrace. */
export function isHarmlessDawnLine(line: string): boolean {
  return BACKTRACE.test(line) || /^Warning: \w+ artificially reduced from \d+ to \d+/.test(line);
}

/**
 * Dawn's stderr, one finding a line: recognised messages in our words, then anything else in one "Dawn said: ..."
 * finding, without Dawn's "Warning: " prefixes and source backtraces.
 */
export function readDawnLog(log: string): string[] {
  const known: string[] = [];
  const secondary: string[] = [];
  const other: string[] = [];
  for (const line of log.split('\n')) {
    if (!line.trim() || BACKTRACE.test(line)) continue;
    const hit = KNOWN.map((k) => ({ k, m: k.re.exec(line) })).find(({ m }) => m);
    const [list, finding] = hit ? [hit.k.secondary ? secondary : known, hit.k.say(hit.m!)] : [other, line.replace(/^(Warning|Error|Info): /, '').trim().slice(0, 200)];
    if (!list.includes(finding)) list.push(finding);
  }
  return [...known, ...(known.length ? [] : secondary), ...(other.length ? [`Dawn said: ${other.join('; ')}`] : [])];
}

/** The 'webgpu' package's entry point, or undefined when it is not installed. */
function dawnEntry(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('webgpu');
  } catch {
    return undefined;
  }
}

// The child: load Dawn, ask for the high-performance adapter, print what it says about itself as one JSON line.
const CHILD = (entry: string) => `
const { create } = await import(${JSON.stringify(pathToFileURL(entry).href)});
const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
const i = adapter && adapter.info;
process.stdout.write(JSON.stringify(adapter ? { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description,
  isFallbackAdapter: i.isFallbackAdapter ?? adapter.isFallbackAdapter } : null) + '\\n');
process.exit(0); // Dawn's instance would keep the process alive
`;

/** How long the child may take: Dawn's first adapter query on a real GPU loads the driver, seconds at most. */
const PROBE_TIMEOUT_MS = 60_000;

function askChild(entry: string): Promise<{ stdout: string; stderr: string; error?: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', CHILD(entry)],
      { timeout: PROBE_TIMEOUT_MS, maxBuffer: 4 << 20 },
      (err, stdout, stderr) => {
        const error = !err ? undefined : err.killed ? `probing for a WebGPU adapter timed out after ${PROBE_TIMEOUT_MS / 1000} s` : undefined;
        resolve({ stdout, stderr, ...(err ? { error: error ?? `the WebGPU probe exited with ${err.code ?? err.signal}` } : {}) });
      },
    );
  });
}

/** Why there is no adapter: Dawn's own words first, else what the machine lacks. */
function noAdapterReason(icds: readonly string[], dawnSaid: readonly string[]): string {
  if (dawnSaid.length) return `no WebGPU adapter: ${dawnSaid.join('; ')}`;
  if (process.platform !== 'linux') return 'no WebGPU adapter found';
  if (!sharedLibraries().has('libvulkan.so.1')) return `no WebGPU adapter: the Vulkan loader libvulkan.so.1 is not installed (${INSTALL_VULKAN})`;
  if (icds.length === 0) {
    return 'no WebGPU adapter: no Vulkan driver (ICD) installed; install your GPU vendor\'s Vulkan driver, or Mesa >= 25 lavapipe for a software one';
  }
  const absent = icds.filter((f) => !existsSync(f));
  if (absent.length === icds.length) return `no WebGPU adapter: the Vulkan driver manifests named by VK_DRIVER_FILES/VK_ICD_FILENAMES do not exist (${absent.join(', ')})`;
  return `no WebGPU adapter: Dawn accepted none of the Vulkan drivers (${icds.join(', ')}); Mesa older than 25 is rejected`;
}

async function probe(): Promise<WebGPUProbe> {
  const icds = vulkanDrivers();
  const handed = process.env[PROBE_ENV];
  if (handed) {
    try {
      return JSON.parse(handed) as WebGPUProbe;
    } catch {
      // not ours, or cut short: probe again
    }
  }
  const entry = dawnEntry();
  if (!entry) return { icds, reason: "the 'webgpu' package (Dawn) is not installed (npm install)", dawnSaid: [] };
  const child = await askChild(entry);
  const dawnSaid = readDawnLog(child.stderr);
  type Info = Parameters<typeof isSoftwareAdapter>[0];
  let info: Info | null = null;
  try {
    info = JSON.parse(child.stdout.trim().split('\n').at(-1) || 'null') as Info | null;
  } catch {
    info = null;
  }
  if (child.error && !info) {
    // The addon itself did not load (e.g. it needs a newer glibc), or Dawn hung: say which, in one line.
    const first = child.stderr.split('\n').find((l) => /Error|error:/.test(l))?.trim();
    const why = /timed out/.test(child.error) ? child.error : `the 'webgpu' package (Dawn) failed to load${first ? `: ${first.slice(0, 200)}` : ` (${child.error})`}`;
    return { icds, reason: why, dawnSaid };
  }
  if (!info) return { icds, reason: noAdapterReason(icds, dawnSaid), dawnSaid };
  const adapter: AdapterReport = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    software: isSoftwareAdapter(info),
  };
  return { adapter, icds, reason: `WebGPU adapter ${describeAdapter(adapter)}`, dawnSaid };
}

let cached: Promise<WebGPUProbe> | undefined;

/** Finds the high-performance adapter (once per process, in a child process) and describes it. Never throws. */
export function probeWebGPU(): Promise<WebGPUProbe> {
  return (cached ??= probe());
}
