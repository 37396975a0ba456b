// `npm run doctor`: prints which backends load here and why not, the CUDA/cuDNN and Vulkan/WebGPU findings, and auto's pick.
import { diagnose, formatDiagnosis } from '../backends/diagnose.ts';

const report = await diagnose();
console.log(['gpt-kata doctor', ...formatDiagnosis(report)].join('\n'));
// Dawn and libtensorflow can keep native handles alive; the report is complete, so leave now.
process.exit(0);
