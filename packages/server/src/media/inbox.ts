/**
 * Where packets from the native callbacks wait for the event loop's check phase.
 *
 * node-datachannel hands every packet to JavaScript through a thread-safe function, and Node's
 * dispatcher for those keeps calling JavaScript for as long as its queue is not empty — up to 1,000
 * calls — before the loop may move on. Forwarding a packet to a big room takes about as long as the
 * gap between two packets once the machine is busy (1,000 listeners × 20 ms frames: ~12 ms of sends
 * per packet), so that queue was seldom empty and the media thread's timers — slot ranking, speaking
 * levels, RTCP sender reports — waited: 12.9 s at worst in one 20 s window. Taking the packet here and
 * forwarding it from `setImmediate` empties the native queue at once; each loop turn forwards what
 * arrived before it, and timers run between turns. The load-shedding check (lateness) still sees
 * when the packet is forwarded, so a backlog is still shed.
 *
 * No allocation per packet: two arrays per side, swapped at each drain, keep their capacity.
 */
export class PacketInbox<Source> {
  private sources: Source[] = [];
  private packets: Buffer[] = [];
  private spareSources: Source[] = [];
  private sparePackets: Buffer[] = [];
  private scheduled = false;

  constructor(
    /** Called once per packet, in arrival order, from the check phase. */
    private readonly handle: (source: Source, packet: Buffer) => void,
    private readonly schedule: (drain: () => void) => void = setImmediate,
  ) {}

  /** Take a packet; it is handled in this loop turn's check phase (a later one if one is running). */
  push(source: Source, packet: Buffer): void {
    this.sources.push(source);
    this.packets.push(packet);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.drain);
    }
  }

  /** Packets waiting to be handled. */
  get size(): number {
    return this.sources.length;
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    // Swap first: what arrives while these are handled waits for the next turn, after the timers.
    const sources = this.sources;
    const packets = this.packets;
    this.sources = this.spareSources;
    this.packets = this.sparePackets;
    try {
      for (let i = 0; i < sources.length; i += 1) this.handle(sources[i]!, packets[i]!);
    } finally {
      sources.length = 0;
      packets.length = 0;
      this.spareSources = sources;
      this.sparePackets = packets;
    }
  };
}
