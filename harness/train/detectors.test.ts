// The detectors' rules on their own: when the flat-loss check is judged, the band, the floor, and what each alert says.
import { describe, expect, it } from 'vitest';
import { flatCheckStep, flatLossAlert, RunDetectors, tooGoodAlert, tooGoodFloor, TOO_GOOD_FLOOR } from './detectors.ts';
import { PRESETS } from './presets.ts';

describe('the flat-loss detector', () => {
  it('is judged at 20% of the steps, never during the warm-up, and not at all when the run ends first', () => {
    expect(flatCheckStep(PRESETS.tiny)).toBe(60); // 20% of 300
    expect(flatCheckStep({ ...PRESETS.tiny, iters: 60 })).toBe(20); // 20% is 12, but the warm-up lasts 20 steps
    expect(flatCheckStep({ ...PRESETS.tiny, iters: 6 })).toBeNull();
    expect(flatCheckStep(PRESETS.lecture)).toBe(1000);
  });

  it('fires within 0.05 nats of ln(vocab), either side, and quotes the seed', () => {
    const ln65 = Math.log(65);
    expect(flatLossAlert(60, [ln65 - 0.049, ln65 - 0.049], 65)?.message).toMatch(/^loss has flatlined at ln\(vocab\): check your scale and softmax axis \(step 60:/);
    expect(flatLossAlert(60, [ln65 + 0.04], 65)).not.toBeNull();
    expect(flatLossAlert(60, [ln65 - 0.051], 65)).toBeNull();
    expect(flatLossAlert(60, [Number.NaN], 65)).toBeNull();
  });

  it('averages the last ten steps, so one lucky batch does not hide a flat run', () => {
    const said: string[] = [];
    const d = new RunDetectors({ ...PRESETS.tiny, iters: 100 }, 65, (l) => said.push(l));
    for (let step = 1; step <= 20; step++) d.afterStep(step, step === 20 ? 3.9 : Math.log(65)); // one batch 0.27 below
    expect(d.takeUnwritten().map((a) => a.id)).toEqual(['flat-loss']);
    expect(said[0]).toMatch(/^⚠ loss has flatlined/);
    expect(d.takeUnwritten()).toEqual([]); // each alert goes into metrics.jsonl once
  });
});

describe('the too-good detector', () => {
  it('has a floor that falls with the steps through its calibrated points', () => {
    for (const [step, loss] of TOO_GOOD_FLOOR) expect(tooGoodFloor(step)).toBeCloseTo(loss, 10);
    expect(tooGoodFloor(200)).toBeCloseTo(1.25, 10);
    expect(tooGoodFloor(1e6)).toBe(TOO_GOOD_FLOOR.at(-1)![1]);
    for (let s = 0; s < 6000; s += 50) expect(tooGoodFloor(s + 50)).toBeLessThanOrEqual(tooGoodFloor(s));
  });

  it('probes once, says "your model sees the future" when the probe fails, and only notes it when it passes', async () => {
    const d = new RunDetectors(PRESETS.tiny, 65, () => {});
    let probes = 0;
    const failing = async () => (probes++, { passed: false, cut: 16, blockSize: 32, maxDelta: 4.3, firstMoved: 14 });
    await d.afterEval(100, 2.0, failing); // above the floor of 1.5: no probe
    expect(probes).toBe(0);
    await d.afterEval(120, 1.27, failing);
    await d.afterEval(150, 0.6, failing);
    expect(probes).toBe(1);
    expect(d.alerts.map((a) => [a.id, a.step])).toEqual([['sees-future', 120]]);
    expect(d.alerts[0]!.message).toMatch(/^your model sees the future: train loss 1\.2700 at step 120 is below 1\.45.*position 14 by up to 4\.30/);
    expect(tooGoodAlert(5000, 0.5, { passed: true, cut: 128, blockSize: 256, maxDelta: 0, firstMoved: -1 }).id).toBe('too-good-but-causal');
  });
});
