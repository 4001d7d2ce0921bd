import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const stat = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)];
  const dynamic = [...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)];
  return [...stat, ...dynamic].map((match) => match[1] ?? '');
}

/** Which third-party packages each part of the tree may load (STYLE: each library enters through one place). */
function allowedPackages(file: string): string[] {
  if (file.startsWith('src/stores/sqlite/')) return ['better-sqlite3'];
  if (file.startsWith('src/stores/redis/')) return ['ioredis'];
  // The CLI opens a Redis connection for operators, on demand only.
  if (file.startsWith('src/cli/')) return ['ioredis'];
  if (file.startsWith('src/access-token/') || file.startsWith('src/keys/') || file === 'src/create-verifier.ts') return ['jose'];
  if (file.startsWith('adapters/express/')) return ['express'];
  if (file.startsWith('adapters/koa/')) return ['koa'];
  return [];
}

describe('import direction', () => {
  it('keeps every third-party library in its one place, and no framework in src/ or adapters/http/', () => {
    const offenders = [...sourceFiles('src'), ...sourceFiles('adapters')].flatMap((file) =>
      importsOf(file)
        .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
        .filter((specifier) => !allowedPackages(file).includes(specifier.split('/')[0] ?? ''))
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('lets adapters reach the core only through its public entry', () => {
    const offenders = sourceFiles('adapters').flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.includes('/src/') && !specifier.endsWith('/src/index.js'))
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps src/ free of the adapters', () => {
    const offenders = sourceFiles('src').flatMap((file) =>
      importsOf(file).filter((specifier) => specifier.includes('adapters/')).map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });
});
