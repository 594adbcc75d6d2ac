import { useId } from 'react';
import { MicrophoneAlert } from '../room/MicrophoneAlert';
import { meterPercent } from './speakLink';
import type { MicrophoneTest } from './useMicrophoneTest';

/**
 * "Test microphone": opens the microphone, shows its live level and says "Microphone works" once it
 * hears something; a denied or missing microphone gets the room's fixable alert with "Try again".
 */
export function MicrophoneCheck({ test }: { test: MicrophoneTest }) {
  const hintId = useId();
  const headingId = useId();
  const percent = meterPercent(test.level);
  const active = test.phase === 'running' || test.phase === 'starting';

  return (
    <section className="card stack" aria-labelledby={headingId}>
      <h2 id={headingId}>Check your microphone</h2>
      <p className="muted" id={hintId}>
        Optional, and nobody else hears it. Your browser may ask to use the microphone: allow it.
      </p>
      {test.phase === 'failed' && test.problem ? (
        <MicrophoneAlert problem={test.problem} onRetry={() => void test.start()} />
      ) : active ? (
        <>
          <div
            className="speak-meter"
            role="meter"
            aria-label="Microphone level"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${percent}%`}
          >
            <div className="speak-meter-fill" style={{ width: `${percent}%` }} />
          </div>
          <p role="status" className={test.heard ? 'speak-heard' : 'muted'}>
            {test.phase === 'starting'
              ? 'Opening your microphone…'
              : test.heard
                ? (
                    <>
                      <span aria-hidden="true">✓ </span>Microphone works
                    </>
                  )
                : 'Say something: the bar moves when your microphone hears you.'}
          </p>
          <button type="button" className="button" onClick={test.stop}>
            Stop the test
          </button>
        </>
      ) : (
        <button type="button" className="button" onClick={() => void test.start()} aria-describedby={hintId}>
          <span aria-hidden="true">🎙️ </span>Test microphone
        </button>
      )}
    </section>
  );
}
