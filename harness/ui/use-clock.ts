// Hook: calls back with the wall-clock time a few times a second, so the session clock never skips a second.
import { useEffect, useEffectEvent } from 'react';

/** 250 ms: a 1 s interval drifts against the second boundary and visibly skips seconds now and then. */
const TICK_MS = 250;

export function useClock(onTick: (at: number) => void, intervalMs: number = TICK_MS): void {
  const tick = useEffectEvent(onTick); // the latest callback, without restarting the timer
  useEffect(() => {
    const timer = setInterval(() => tick(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
}
