// Silences tfjs's "Hi, looks like you are running TensorFlow.js in Node.js" banner: the advice (install tfjs-node) is
// what `npm run doctor` and the backend choice already explain, and the banner lands in the middle of our output.
import * as tf from '@tensorflow/tfjs';

export function quietCpuBanner(): void {
  // The cpu backend prints it on its first tensor write unless firstUse is already false.
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}
