import { describe, expect, it } from 'vitest';
import { parseRoomLink, positiveNumber, serverUrl, UsageError } from './cli';
import { main } from './main';

describe('command line parsing', () => {
  it('parseRoomLink() splits a room link into server and room', () => {
    expect(parseRoomLink('http://127.0.0.1:8080/rooms/AbC-12_xyz')).toEqual({ baseUrl: 'http://127.0.0.1:8080', roomId: 'AbC-12_xyz' });
    expect(parseRoomLink('https://talk.example/parley/rooms/room0001/')).toEqual({ baseUrl: 'https://talk.example/parley', roomId: 'room0001' });
    expect(() => parseRoomLink('http://127.0.0.1:8080/hallway')).toThrow(UsageError);
    expect(() => parseRoomLink('ftp://host/rooms/room0001')).toThrow(UsageError);
    expect(() => parseRoomLink('room0001')).toThrow(UsageError);
  });

  it('serverUrl() and positiveNumber() refuse what a server or a duration cannot be', () => {
    expect(serverUrl('--url', 'http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(() => serverUrl('--url', 'localhost')).toThrow(/--url must be a URL/);
    expect(positiveNumber('--seconds', '2.5')).toBe(2.5);
    for (const bad of ['0', '-3', 'abc', '', undefined]) expect(() => positiveNumber('--seconds', bad)).toThrow(UsageError);
  });

  it('main() answers usage mistakes with exit code 2 and says why on stderr', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
    expect(await main(['bot', 'host', '--tone', 'loud'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--tone must be a positive number/);
    expect(await main(['fly'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/unknown command "fly"/);
    expect(await main(['--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/parley <command>/);
    expect(await main(['bot', 'listen', 'http://127.0.0.1:1/rooms/room0001', '--seconds', '1', '--json', '--bogus'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/Unknown option '--bogus'/);
  });
});
