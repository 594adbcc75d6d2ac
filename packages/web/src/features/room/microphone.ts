/** Why the microphone could not be used (the reasons of the SDK's MicrophoneError). */
export type MicrophoneProblem = 'denied' | 'missing' | 'failed';

/** What to tell a person whose microphone could not be opened: what happened and how to fix it. */
export function microphoneAdvice(problem: MicrophoneProblem): { title: string; fix: string } {
  switch (problem) {
    case 'denied':
      return {
        title: 'Parley is not allowed to use your microphone.',
        fix:
          'Allow microphone access for this site: select the lock or microphone icon in the address bar ' +
          '(or open your browser’s site settings) and set Microphone to Allow.',
      };
    case 'missing':
      return {
        title: 'No microphone was found.',
        fix: 'Connect a microphone or headset and check that it is enabled in your system settings.',
      };
    case 'failed':
      return {
        title: 'Your microphone could not be started.',
        fix: 'Another app may be using it: close other apps that use the microphone.',
      };
  }
}

const musicModeKey = 'parley.musicMode';

/**
 * Music mode sends the microphone as it is: no echo cancellation, noise suppression or automatic gain.
 * Better for instruments and steady tones; needs headphones to avoid echo.
 */
export function loadMusicMode(): boolean {
  try {
    return window.localStorage.getItem(musicModeKey) === 'on';
  } catch {
    return false;
  }
}

/** Remembers the music-mode choice for the next room. */
export function saveMusicMode(on: boolean): void {
  try {
    window.localStorage.setItem(musicModeKey, on ? 'on' : 'off');
  } catch {
    // Storage can be disabled (private mode); the choice then lasts for this page only.
  }
}

/** getUserMedia constraints for voice (browser processing on) or music mode (all processing off). */
export function audioConstraintsFor(musicMode: boolean): MediaTrackConstraints {
  const processing = !musicMode;
  return { echoCancellation: processing, noiseSuppression: processing, autoGainControl: processing };
}
