import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

interface PackageJson {
  readonly exports: Record<string, string | Record<string, string>>;
  readonly bin: Record<string, string>;
}

/** What a user gets: the JS and its declarations, the license, the readme and the changelog. */
const SHIPPED = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/(src|adapters)\/.+\.(js|d\.ts))$/;

let files: string[];
let manifest: PackageJson;

beforeAll(async () => {
  manifest = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as PackageJson;
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
  const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
  files = (pack?.files ?? []).map((file) => file.path);
  if (!files.some((file) => file.startsWith('dist/'))) throw new Error('dist/ is empty: run `npm run build` before these tests');
});

function relativeTarget(target: string): string {
  return target.replace(/^\.\//, '');
}

describe('npm pack', () => {
  it('ships only dist JS and declarations, README.md, LICENSE, CHANGELOG.md and package.json', () => {
    expect(files.filter((file) => !SHIPPED.test(file))).toEqual([]);
    expect(files.filter((file) => /^(test|bench|examples|src|adapters)\/|\.map$|\.tsbuildinfo$/.test(file))).toEqual([]);
  });

  it('ships the readme, the license and the changelog', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']));
  });

  it('ships every file the exports map and the bin point to', () => {
    const targets = Object.values(manifest.exports).flatMap((entry) => (typeof entry === 'string' ? [entry] : Object.values(entry)));
    const wanted = [...targets, ...Object.values(manifest.bin)].map(relativeTarget);
    expect(wanted.filter((target) => !files.includes(target))).toEqual([]);
    expect(Object.keys(manifest.exports)).toEqual(['.', './express', './koa', './sqlite', './redis', './package.json']);
  });

  it('ships a bin that runs with node from a shebang', () => {
    const bin = relativeTarget(manifest.bin.tokenlease ?? '');
    expect(bin).toBe('dist/src/cli/bin.js');
    expect(readFileSync(resolve(ROOT, bin), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('ships no stale output: every dist file has its TypeScript source', () => {
    const stale = files
      .filter((file) => file.startsWith('dist/'))
      .map((file) => file.replace(/^dist\//, '').replace(/\.(js|d\.ts)$/, '.ts'))
      .filter((source) => !existsSync(resolve(ROOT, source)));
    expect(stale).toEqual([]);
  });
});
