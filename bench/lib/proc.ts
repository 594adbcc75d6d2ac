import { execFileSync } from 'node:child_process';
import { hash, randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`; 100 on Linux everywhere). */
const CLOCK_TICKS = clockTicks();

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/**
 * CPU time and memory of another process, read from /proc (Linux). CPU includes every thread of the
 * process: libdatachannel's native threads (SRTP, ICE, sockets) as well as the JavaScript thread.
 */
export class ProcessSampler {
  constructor(readonly pid: number) {}

  /** User + system CPU time of the process so far, µs (10 ms resolution). */
  cpuMicros(): number {
    return statCpuMicros(readFileSync(`/proc/${this.pid}/stat`, 'utf8'));
  }

  /** CPU time of the process's main thread (the JavaScript event loop) so far, µs. */
  mainThreadCpuMicros(): number {
    try {
      return statCpuMicros(readFileSync(`/proc/${this.pid}/task/${this.pid}/stat`, 'utf8'));
    } catch {
      return 0;
    }
  }

  /**
   * CPU time (µs) and voluntary context switches (wake-ups after sleeping) so far, summed by thread
   * role: `main` (the event loop), `ice` (libjuice's `juice mux`/`juice poll` threads), `rtc`
   * (libdatachannel's `RTC worker`s), `sctp`, `v8` (V8's compiler and GC helpers), and `other` —
   * which includes the media thread: Node's worker threads keep the name `node`.
   */
  threadRoles(): Map<string, { cpuMicros: number; wakeups: number }> {
    const roles = new Map<string, { cpuMicros: number; wakeups: number }>();
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${this.pid}/task`);
    } catch {
      return roles;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${this.pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const status = readFileSync(`/proc/${this.pid}/task/${tid}/status`, 'utf8');
        const wakeups = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
        const role = Number(tid) === this.pid ? 'main' : threadRole(name);
        const entry = roles.get(role) ?? { cpuMicros: 0, wakeups: 0 };
        entry.cpuMicros += statCpuMicros(stat);
        entry.wakeups += wakeups;
        roles.set(role, entry);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return roles;
  }

  /** Resident set size now, bytes. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  }

  /** Threads of the process now. */
  threads(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = /^Threads:\s+(\d+)/m.exec(status);
    return match?.[1] ? Number(match[1]) : 0;
  }

  /** Open file descriptors (sockets included) now. */
  openFiles(): number {
    try {
      return readdirSync(`/proc/${this.pid}/fd`).length;
    } catch {
      return 0;
    }
  }
}

/** What a thread of a Parley process does, by the name the kernel knows it by. */
function threadRole(name: string): string {
  if (name.startsWith('juice')) return 'ice';
  if (name.startsWith('RTC')) return 'rtc';
  if (name.startsWith('SCTP')) return 'sctp';
  if (name.startsWith('V8') || name.startsWith('v8')) return 'v8';
  return 'other';
}

/** User + system CPU time in a /proc `stat` line, µs (10 ms resolution). */
function statCpuMicros(stat: string): number {
  // Fields after the command name (which may contain spaces) start at field 3; utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / CLOCK_TICKS;
}

/** Whole-machine CPU time (all cores), for telling a saturated machine from a slow server. */
export function machineCpu(): { busyMicros: number; stealMicros: number; totalMicros: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // user nice system idle iowait irq softirq steal guest guest_nice
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  // Guest time is already counted in user and nice.
  const total = values.slice(0, 8).reduce((sum, v) => sum + v, 0);
  const micros = (ticks: number) => (ticks * 1_000_000) / CLOCK_TICKS;
  return { busyMicros: micros(total - idle), stealMicros: micros(values[7] ?? 0), totalMicros: micros(total) };
}

/** The machine the figures were measured on, and how fast it ran when the run started. */
export function machineInfo(): Record<string, unknown> {
  const list = cpus();
  return {
    cpuModel: list[0]?.model ?? 'unknown',
    cpuCount: list.length,
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    calibration: calibrate(),
  };
}

/** A fixed amount of work timed in CPU microseconds per operation ({@link calibrate}). */
export interface Calibration {
  /** SHA-256 of 64 KiB through node:crypto: native computation. */
  sha256Of64KiBMicros: number;
  /** One 160-byte `write` system call to /dev/null: the price of entering the kernel. */
  syscallMicros: number;
  /** One JSON round trip of a participant-sized object: plain JavaScript. */
  jsonRoundTripMicros: number;
}

/**
 * The same machine runs at different speeds on different days (a shared VM: 2026-12-05 it forwarded a
 * packet in 10.9 µs in the morning and 20.5 µs in the afternoon, same code). Each result records these
 * three fixed workloads, so figures from different runs can be compared with the machine's pace:
 * compare CPU per packet only between runs whose calibration agrees, or scale by it.
 */
export function calibrate(): Calibration {
  // The best of five rounds: the least disturbed one is the machine's pace.
  const timed = (ops: number, run: () => void) => {
    run(); // warm up (compile, first-use allocation)
    let best = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 5; round += 1) {
      const start = process.cpuUsage();
      for (let i = 0; i < ops / 5; i += 1) run();
      const used = process.cpuUsage(start);
      best = Math.min(best, (used.user + used.system) / (ops / 5));
    }
    return Math.round(best * 1000) / 1000;
  };
  const block = randomBytes(65_536);
  const sha256Of64KiBMicros = timed(2_000, () => {
    hash('sha256', block);
  });
  const payload = block.subarray(0, 160);
  const fd = openSync('/dev/null', 'w');
  const syscallMicros = timed(50_000, () => {
    writeSync(fd, payload);
  });
  closeSync(fd);
  const participant = { id: 'cal1brat10n-p4rt1c1p4nt', displayName: 'Calibration', role: 'listener', handRaisedAt: null, invitedToSpeak: false, muted: false, joinedAt: new Date(0).toISOString() };
  const jsonRoundTripMicros = timed(50_000, () => {
    JSON.parse(JSON.stringify(participant));
  });
  return { sha256Of64KiBMicros, syscallMicros, jsonRoundTripMicros };
}
