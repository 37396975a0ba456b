// `npm run doctor`: prints which backends load here and why not, the CUDA/cuDNN and Vulkan/WebGPU findings, and auto's pick.
import { readCommandLine } from './command-line.ts';
import { quietDawn } from './quiet-dawn.ts';

readCommandLine({
  name: 'doctor',
  usage: ['npm run doctor'],
  summary: 'Says which tfjs backends load on this machine and why not, what CUDA/cuDNN and Vulkan/WebGPU it finds, and what --backend auto picks.',
  options: [],
});
await quietDawn(() => true); // doctor loads Dawn wherever there is an adapter, to check it computes
const { diagnose, formatDiagnosis } = await import('../backends/diagnose.ts'); // after --help: it loads tfjs
const { sandboxLimitLines, sandboxProtectionLines } = await import('../../grader/sandbox/limits-report.ts');
const report = await diagnose();
console.log(['gpt-kata doctor', ...formatDiagnosis(report), ...sandboxLimitLines(), ...(await sandboxProtectionLines())].join('\n'));
// Dawn and libtensorflow can keep native handles alive; the report is complete, so leave now.
process.exit(0);
