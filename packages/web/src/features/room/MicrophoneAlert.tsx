import { microphoneAdvice, type MicrophoneProblem } from './microphone';

/**
 * The clear, fixable message a person gets when their microphone cannot be opened. On stage they can
 * retry in place; a listener (sent back to the audience) raises a hand again once it is fixed.
 */
export function MicrophoneAlert({ problem, onRetry }: { problem: MicrophoneProblem; onRetry?: () => void }) {
  const advice = microphoneAdvice(problem);
  const next = onRetry
    ? 'Then choose “Try again”.'
    : 'You are still a listener and can keep listening. Once it is fixed, raise your hand to ask to speak again.';
  return (
    <div className="card alert" role="alert">
      <p>
        <strong>{advice.title}</strong>
      </p>
      <p>
        {advice.fix} {next}
      </p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
