// `npm run kata`: the 60-minute self-test as a terminal app; grades each save through the sandboxed grader engine.
//
// Ink stops drawing frames when it believes it runs in CI (a CI or CONTINUOUS_INTEGRATION variable, which some shells,
// dev containers and CI runners set). This app only ever runs in a real terminal, so there that guess is wrong and would
// leave the learner a blank screen. The variables are cleared before Ink is loaded, hence the dynamic import.
if (process.stdout.isTTY && process.stdin.isTTY) {
  process.env.CI = 'false';
  process.env.CONTINUOUS_INTEGRATION = 'false';
}
await import('../ui/kata-main.tsx');
