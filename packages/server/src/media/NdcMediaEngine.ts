import nodeDataChannel from 'node-datachannel';
import type { RtcConfig } from 'node-datachannel';
import type { MediaEngine, MediaEngineOptions, MediaRoom } from './engine';
import { silentLogger } from './events';
import { NdcMediaRoom, type ForwardingCounters, type RoomSettings } from './MediaRoom';

/** What the engine reports to /metrics: totals since start over every room, open or closed. */
export interface MediaEngineStats extends ForwardingCounters {
  /** Open media rooms. */
  rooms: number;
  publishers: number;
  subscribers: number;
  /** Peer connections by leg and state, e.g. `{ 'subscribe connected': 1000 }`. */
  peers: Record<string, number>;
}

/**
 * The SFU on node-datachannel (libdatachannel). One peer connection per participant and leg; with
 * `rtcPort` the peers share one UDP socket (ICE UDP mux), or `rtcPorts` sockets from it on, taken in
 * turn. Owns its rooms; closing it closes them and releases the native library, without which the
 * process would not exit.
 */
export class NdcMediaEngine implements MediaEngine {
  private readonly rooms = new Map<string, NdcMediaRoom>();
  private readonly settings: RoomSettings;
  /** Counters of rooms already closed, so the engine's totals never go backwards. */
  private readonly closedTotals: ForwardingCounters = { packetsIn: 0, packetsDropped: 0, packetsForwarded: 0, bytesForwarded: 0, sendFailures: 0, packetsLate: 0 };
  private closed = false;

  constructor(options: MediaEngineOptions = {}) {
    const rtcPort = options.rtcPort ?? 0;
    const base: RtcConfig = {
      iceServers: options.iceServers ?? [],
      // Without a bind address libjuice skips loopback, and a loopback-only host gathers nothing.
      bindAddress: options.bindAddress ?? '127.0.0.1',
    };
    // One configuration per mux port: libjuice keeps one socket, thread and peer list per port.
    const ports = rtcPort > 0 ? Array.from({ length: options.rtcPorts ?? 1 }, (_, i) => rtcPort + i) : [];
    const rtcConfigs: RtcConfig[] =
      ports.length > 0 ? ports.map((port) => ({ ...base, enableIceUdpMux: true, portRangeBegin: port, portRangeEnd: port })) : [base];
    const announced = ['127.0.0.1', ...(options.publicIp ? [options.publicIp] : [])];
    this.settings = {
      peer: {
        rtcConfigs,
        // Binding to one specific address means only that address can answer.
        announcedAddresses: isWildcard(base.bindAddress) ? announced : announced.filter((a) => a === options.publicIp),
        gatheringTimeoutMs: options.gatheringTimeoutMs ?? 5000,
      },
      audioSlots: options.audioSlots ?? 3,
      speakingThresholdDbov: options.speakingThresholdDbov ?? -50,
      slotHysteresisDb: options.slotHysteresisDb ?? 3,
      logger: options.logger ?? silentLogger,
    };
  }

  /** Create the media side of a live room, or return the one already open under that id. */
  createRoom(roomId: string): MediaRoom {
    return this.room(roomId);
  }

  /** Like {@link createRoom}, typed as the node-datachannel room (diagnostics such as slot assignment). */
  room(roomId: string): NdcMediaRoom {
    if (this.closed) throw new Error('media engine is closed');
    let room = this.rooms.get(roomId);
    if (!room) {
      room = new NdcMediaRoom(roomId, this.settings, (closed) => {
        if (this.rooms.get(closed.roomId) !== closed) return;
        this.rooms.delete(closed.roomId);
        addCounters(this.closedTotals, closed.forwardingStats());
      });
      this.rooms.set(roomId, room);
      this.settings.logger.info({ roomId }, 'media room created');
    }
    return room;
  }

  /** Close the room under `roomId`, if open (its peers close with it). */
  closeRoom(roomId: string): void {
    this.rooms.get(roomId)?.close();
  }

  /** Totals over every room since the engine started, and the peers open now (for /metrics). */
  mediaStats(): MediaEngineStats {
    const stats: MediaEngineStats = { ...this.closedTotals, rooms: this.rooms.size, publishers: 0, subscribers: 0, peers: {} };
    for (const room of this.rooms.values()) {
      const roomStats = room.forwardingStats();
      addCounters(stats, roomStats);
      stats.publishers += roomStats.publishers;
      stats.subscribers += roomStats.subscribers;
      for (const { leg, state } of roomStats.peers) {
        const key = `${leg} ${state}`;
        stats.peers[key] = (stats.peers[key] ?? 0) + 1;
      }
    }
    return stats;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const room of [...this.rooms.values()]) room.close();
    this.closed = true;
    // Let libdatachannel finish the close callbacks of the peers just closed before tearing down.
    await new Promise((resolve) => setTimeout(resolve, 50));
    nodeDataChannel.cleanup();
  }
}

function addCounters(total: ForwardingCounters, add: ForwardingCounters): void {
  total.packetsIn += add.packetsIn;
  total.packetsDropped += add.packetsDropped;
  total.packetsForwarded += add.packetsForwarded;
  total.bytesForwarded += add.bytesForwarded;
  total.sendFailures += add.sendFailures;
  total.packetsLate += add.packetsLate;
}

function isWildcard(address: string | undefined): boolean {
  return address === undefined || address === '0.0.0.0' || address === '::';
}
