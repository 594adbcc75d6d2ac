import { describe, expect, it } from 'vitest';
import { splitCandidates } from './sdp';

const offer = [
  'v=0',
  'o=rtc 1 0 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:0',
  'a=sendonly',
  'a=candidate:1 1 UDP 2122317823 127.0.0.1 50000 typ host',
  'a=candidate:2 1 UDP 2122317567 10.0.0.2 50000 typ host',
  'a=end-of-candidates',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:1',
  'a=sendonly',
  '',
].join('\r\n');

describe('splitCandidates', () => {
  it('takes every candidate out with the mid of its section, and the end-of-candidates line', () => {
    const { sdp, candidates } = splitCandidates(offer);
    expect(candidates).toEqual([
      { candidate: 'candidate:1 1 UDP 2122317823 127.0.0.1 50000 typ host', mid: '0' },
      { candidate: 'candidate:2 1 UDP 2122317567 10.0.0.2 50000 typ host', mid: '0' },
    ]);
    expect(sdp).not.toMatch(/candidate/);
    // Everything else is kept as it was, line endings included.
    expect(sdp.split('\r\n')).toEqual(offer.split('\r\n').filter((line) => !line.includes('candidate')));
  });

  it('finds the mid of a candidate listed before its a=mid line', () => {
    const { candidates } = splitCandidates('v=0\nm=audio 9 UDP/TLS/RTP/SAVPF 111\na=candidate:1 1 UDP 1 127.0.0.1 5 typ host\na=mid:audio\n');
    expect(candidates).toEqual([{ candidate: 'candidate:1 1 UDP 1 127.0.0.1 5 typ host', mid: 'audio' }]);
  });
});
