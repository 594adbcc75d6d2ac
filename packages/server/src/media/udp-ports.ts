import { createSocket, type Socket } from 'node:dgram';

/**
 * Free UDP ports on this machine right now, for tests and the bench that start an SFU on a fixed
 * port (`RTC_PORT`) or several (`RTC_PORTS`). Not used by the server itself.
 */

/** A UDP port free on 127.0.0.1 right now (the OS picks it). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** The first of `count` consecutive UDP ports free on every address right now. */
export async function freeUdpPorts(count = 1): Promise<number> {
  const bind = (port: number) =>
    new Promise<Socket | undefined>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => {
        socket.close();
        resolve(undefined);
      });
      socket.bind(port, () => resolve(socket));
    });
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const first = await freeUdpPort();
    if (first + count > 65_536) continue;
    const sockets = await Promise.all(Array.from({ length: count }, (_, i) => bind(first + i)));
    await Promise.all(sockets.map((socket) => (socket ? new Promise<void>((resolve) => socket.close(resolve)) : undefined)));
    if (sockets.every((socket) => socket !== undefined)) return first;
  }
  throw new Error(`no ${count} consecutive free UDP ports`);
}
