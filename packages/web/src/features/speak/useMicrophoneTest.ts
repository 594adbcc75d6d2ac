import { useCallback, useEffect, useRef, useState } from 'react';
import { MicrophoneError } from '@parley/client/browser';
import { audioConstraintsFor, loadMusicMode, type MicrophoneProblem } from '../room/microphone';
import { isAboveSilence, levelFromSamples, nextMeterLevel } from './speakLink';

/** Where the microphone test is. */
export type MicrophoneTestPhase = 'idle' | 'starting' | 'running' | 'failed';

export interface MicrophoneTest {
  phase: MicrophoneTestPhase;
  /** The meter's level, 0…1 (falls back gently). */
  level: number;
  /** A level above silence was seen since the test started. */
  heard: boolean;
  problem: MicrophoneProblem | null;
  start(): Promise<void>;
  /** Close the microphone (before joining the room, which opens it again). */
  stop(): void;
}

/** How often the meter reads the microphone. */
const intervalMs = 80;

/**
 * Opens the microphone on request and reads its loudness (Web Audio analyser), so a guest sees that
 * it works before going on stage. Uses the same constraints as the room (music mode included) and
 * closes everything on `stop` and when the page goes.
 */
export function useMicrophoneTest(): MicrophoneTest {
  const [phase, setPhase] = useState<MicrophoneTestPhase>('idle');
  const [level, setLevel] = useState(0);
  const [heard, setHeard] = useState(false);
  const [problem, setProblem] = useState<MicrophoneProblem | null>(null);
  const teardown = useRef<(() => void) | null>(null);
  /** Bumped by every start and stop, so a start that resolves after a stop closes what it opened. */
  const generation = useRef(0);

  const stop = useCallback(() => {
    generation.current++;
    teardown.current?.();
    teardown.current = null;
    setLevel(0);
    setPhase((current) => (current === 'failed' ? current : 'idle'));
  }, []);

  const start = useCallback(async () => {
    teardown.current?.();
    teardown.current = null;
    const mine = ++generation.current;
    setPhase('starting');
    setProblem(null);
    setHeard(false);
    setLevel(0);
    let stream: MediaStream;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('This browser cannot open a microphone on this page.');
      stream = await navigator.mediaDevices.getUserMedia({ audio: audioConstraintsFor(loadMusicMode()) });
    } catch (caught) {
      if (mine !== generation.current) return;
      setProblem(MicrophoneError.from(caught).reason);
      setPhase('failed');
      return;
    }
    if (mine !== generation.current) {
      // Stopped (or restarted) while the browser was asking for permission.
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(stream).connect(analyser);
    void context.resume().catch(() => undefined);
    const samples = new Float32Array(analyser.fftSize);
    let shown = 0;
    const timer = window.setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      const current = levelFromSamples(samples);
      shown = nextMeterLevel(shown, current);
      setLevel(shown);
      if (isAboveSilence(current)) setHeard(true);
    }, intervalMs);
    const close = () => {
      window.clearInterval(timer);
      for (const track of stream.getTracks()) track.stop();
      void context.close().catch(() => undefined);
    };
    // A microphone unplugged mid-test ends the test with the "missing" advice.
    stream.getAudioTracks()[0]?.addEventListener('ended', () => {
      if (mine !== generation.current) return;
      close();
      teardown.current = null;
      setProblem('missing');
      setPhase('failed');
    });
    teardown.current = close;
    setPhase('running');
  }, []);

  useEffect(
    () => () => {
      generation.current++;
      teardown.current?.();
      teardown.current = null;
    },
    [],
  );

  return { phase, level, heard, problem, start, stop };
}
