// CPU profiles of the benchmark's own process (where the measured server runs): V8's profiler through
// the inspector, written as a .cpuprofile (Chrome DevTools, speedscope) and summarised as text.
import { writeFile } from 'node:fs/promises';
import { Session as InspectorSession } from 'node:inspector/promises';
import path from 'node:path';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
/** Self time by package (or project directory) and by function, from a V8 CPU profile. */
export function profileSummary(profile: CpuProfile, top = 15): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const where = (url: string) => {
    const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (modules) return modules[1]!;
    if (url.startsWith('node:')) return url;
    const project = /\/(src|bench)\/(.*)$/.exec(url);
    if (project) return `${project[1]!}/${project[2]!}`;
    return url;
  };
  const byWhere = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    // Entries without a script are V8's and the runtime's own: (garbage collector), (idle), writev...
    const place = node.callFrame.url === '' ? `(native) ${node.callFrame.functionName}` : where(node.callFrame.url);
    byWhere.set(place, (byWhere.get(place) ?? 0) + us);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${place}:${String(node.callFrame.lineNumber + 1)}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const list = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => `  ${(us / 1000).toFixed(0).padStart(7)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return `self time, ${(total / 1000).toFixed(0)} ms sampled\nby place:\n${list(byWhere)}\nby function:\n${list(byFunction)}`;
}

/** A started profiler; `stop` writes `<dir>/<name>.cpuprofile` and returns the file and its summary. */
export async function startCpuProfile(): Promise<{ stop(dir: string, name: string): Promise<{ file: string; summary: string }> }> {
  const session = new InspectorSession();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(dir, name) {
      const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
      session.disconnect();
      const file = path.join(dir, `${name}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      return { file, summary: profileSummary(profile) };
    },
  };
}
