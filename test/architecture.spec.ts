import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The layers of `lib/`, bottom first, as the README's architecture section lists them. A file
// may import its own layer or a lower one, never a higher one, and no import may come back
// round to where it started.
const LAYERS: [layer: number, paths: string[]][] = [
  [0, ['cascade.constants.ts']],
  [1, ['types/']],
  [2, ['redact.ts', 'errors/']],
  [3, ['config/', 'retry/', 'telemetry/', 'validation/']],
  [4, ['client/']],
  [5, ['bulk/', 'status/']],
  [
    6,
    [
      'cascade.module-definition.ts',
      'cascade.module.ts',
      'cascade.service.ts',
      'cascade-retry.decorator.ts',
      'cascade-retry.interceptor.ts',
      'dto/',
      'filters/',
      'health/',
      'webhooks/',
    ],
  ],
  [7, ['queue/', 'emulator/']],
  [8, ['index.ts']],
];

const root = resolve(import.meta.dirname, '../lib');

function layerOf(file: string): number {
  const path = relative(root, file);
  const found = LAYERS.find(([, paths]) =>
    paths.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p)),
  );
  if (!found) throw new Error(`${path} is in no layer: add it to LAYERS and the README`);
  return found[0];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each source file with the files of the package it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(root)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)\.js'/g)].map((m) =>
      resolve(dirname(file), `${m[1]}.ts`),
    );
    graph.set(file, targets);
  }
  return graph;
}

describe('the layers of lib/', () => {
  const graph = importGraph();

  it('puts every file in a layer', () => {
    for (const file of graph.keys()) expect(() => layerOf(file)).not.toThrow();
  });

  it('has every import run to the same layer or a lower one', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (layerOf(target) > layerOf(file)) {
          upward.push(`${relative(root, file)} -> ${relative(root, target)}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import circle', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        const circle = path.slice(path.indexOf(file)).concat(file);
        circles.push(circle.map((f) => relative(root, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(circles).toEqual([]);
  });

  it('finds the imports it judges', () => {
    // A parser that saw no imports would pass both checks above.
    const service = graph.get(join(root, 'cascade.service.ts')) ?? [];
    expect(service).toContain(join(root, 'client/cascade.client.ts'));
  });
});
