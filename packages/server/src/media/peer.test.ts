import { describe, expect, it } from 'vitest';
import { announceAddresses } from './peer';

const sdp = [
  'v=0',
  'm=audio 40000 UDP/TLS/RTP/SAVPF 111',
  'a=candidate:1 1 UDP 2114977791 192.0.2.2 40000 typ host',
  'a=candidate:2 1 UDP 2116026111 fd00::2 40000 typ host',
  'a=end-of-candidates',
  '',
].join('\r\n');

describe('announceAddresses()', () => {
  it('adds a host candidate per address on the gathered port, before end-of-candidates', () => {
    const out = announceAddresses(sdp, ['127.0.0.1', '203.0.113.7']).split('\r\n');
    const end = out.indexOf('a=end-of-candidates');
    const added = out.filter((line) => / (127\.0\.0\.1|203\.0\.113\.7) 40000 typ host$/.test(line));
    expect(added).toHaveLength(2);
    expect(added.every((line) => out.indexOf(line) < end)).toBe(true);
  });

  it('leaves the SDP alone when the address is already a candidate or none is asked', () => {
    expect(announceAddresses(sdp, ['192.0.2.2'])).toBe(sdp);
    expect(announceAddresses(sdp, [])).toBe(sdp);
  });
});
