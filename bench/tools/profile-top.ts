/**
 * Top frames of a V8 CPU profile (`--cpu-prof` output) by self time, and the share of the profile
 * spent under each frame (total time), e.g.:
 *
 *   node --import tsx bench/tools/profile-top.ts bench/results/profiles/CPU.*.cpuprofile [--top 25]
 *
 * Only the JavaScript thread is profiled: libdatachannel's native threads (SRTP, sockets) do not
 * appear, which is why the bench measures CPU from /proc as well.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self and total time (µs) per function (name + file + line), heaviest self time first. */
export function topFrames(profile: Profile): { frame: string; selfMicros: number; totalMicros: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfById = new Map<number, number>();
  profile.samples.forEach((id, i) => selfById.set(id, (selfById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const name = (node: ProfileNode) => {
    const file = node.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/(node_modules|packages)\//, '$1/');
    return `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, micros] of selfById) {
    const node = byId.get(id);
    if (!node) continue;
    self.set(name(node), (self.get(name(node)) ?? 0) + micros);
    // Total: every distinct frame on the stack gets the sample once (recursion counted once).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame) break;
      const key = name(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + micros);
    }
  }
  return [...self.entries()]
    .map(([frame, selfMicros]) => ({ frame, selfMicros, totalMicros: total.get(frame) ?? selfMicros }))
    .sort((a, b) => b.selfMicros - a.selfMicros);
}

if (process.argv[1]?.endsWith('profile-top.ts')) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const frames = topFrames(profile);
    const all = frames.reduce((sum, f) => sum + f.selfMicros, 0);
    const idle = frames.filter((f) => f.frame.startsWith('(idle)')).reduce((sum, f) => sum + f.selfMicros, 0);
    console.log(`${file}: ${(all / 1e6).toFixed(1)} s sampled, ${(((all - idle) / all) * 100).toFixed(1)} % busy`);
    console.log('self %  total %  frame');
    for (const f of frames.slice(0, Number(values.top))) {
      console.log(`${((100 * f.selfMicros) / all).toFixed(1).padStart(6)}  ${((100 * f.totalMicros) / all).toFixed(1).padStart(7)}  ${f.frame}`);
    }
  }
}
