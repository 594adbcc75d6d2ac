import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';

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
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3; utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1_000_000) / CLOCK_TICKS;
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

/** Whole-machine CPU time (all cores), for telling a saturated machine from a slow server. */
export function machineCpu(): { busyMicros: number; totalMicros: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((sum, v) => sum + v, 0);
  return { busyMicros: ((total - idle) * 1_000_000) / CLOCK_TICKS, totalMicros: (total * 1_000_000) / CLOCK_TICKS };
}

/** The machine the figures were measured on. */
export function machineInfo(): Record<string, unknown> {
  const list = cpus();
  return {
    cpuModel: list[0]?.model ?? 'unknown',
    cpuCount: list.length,
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
