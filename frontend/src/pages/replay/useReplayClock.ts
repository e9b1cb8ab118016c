import { useCallback, useEffect, useRef, useState } from "react";

export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/**
 * The playhead: ms from the interview's start, moved by animation frames while playing (at
 * `rate`), stopping at the end. The audio follows it, not the other way round, so gaps in the
 * recording (or no recording) play the same as speech.
 */
export function useReplayClock(duration: number, initial: number) {
  const clamp = useCallback((ms: number) => Math.min(Math.max(0, ms), duration), [duration]);
  const [t, setT] = useState(() => clamp(initial));
  const [playing, setPlaying] = useState(false);
  const [rate, setRate] = useState<number>(1);
  const current = useRef(t);
  current.current = t;

  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let frame = requestAnimationFrame(function tick(now) {
      const next = clamp(current.current + (now - last) * rate);
      last = now;
      current.current = next;
      setT(next);
      if (next >= duration) setPlaying(false);
      else frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing, rate, duration, clamp]);

  const seek = useCallback((ms: number) => {
    current.current = clamp(ms);
    setT(current.current);
  }, [clamp]);
  const toggle = useCallback(() => {
    setPlaying((was) => {
      if (!was && current.current >= duration) seek(0); // play again from the start
      return !was;
    });
  }, [duration, seek]);
  return { t, playing, rate, setRate, seek, toggle, setPlaying };
}
