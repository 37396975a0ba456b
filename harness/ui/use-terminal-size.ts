// Hook: reports the terminal's columns and rows whenever it is resized.
import { useStdout } from 'ink';
import { useEffect, useEffectEvent } from 'react';

/** What a terminal that does not say its size is taken to be. */
const DEFAULT_SIZE = { columns: 80, rows: 24 } as const;

export function terminalSize(stdout: NodeJS.WriteStream): { columns: number; rows: number } {
  return { columns: stdout.columns || DEFAULT_SIZE.columns, rows: stdout.rows || DEFAULT_SIZE.rows };
}

export function useTerminalSize(onResize: (columns: number, rows: number) => void): void {
  const { stdout } = useStdout();
  const report = useEffectEvent(onResize); // the latest callback, without re-subscribing
  useEffect(() => {
    const handle = (): void => {
      const { columns, rows } = terminalSize(stdout);
      report(columns, rows);
    };
    handle();
    stdout.on('resize', handle);
    return () => {
      stdout.off('resize', handle);
    };
  }, [stdout]);
}
