import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltBin, runCli } from './run-cli.js';

beforeAll(requireBuiltBin);

describe('tokenlease command line', () => {
  it.each([
    [[], /missing command/, 'tokenlease --help'],
    [['frobnicate'], /unknown command "frobnicate"/, 'tokenlease --help'],
    [['--verbose'], /unknown option "--verbose"/, 'tokenlease --help'],
    [['keygen', '--alg', 'none'], /--alg must be one of EdDSA, ES256, RS256, HS256/, 'tokenlease keygen --help'],
    [['keygen', '--alg'], /'--alg <value>' argument missing/, 'tokenlease keygen --help'],
    [['keygen', '--bits', '4096'], /Unknown option '--bits'/, 'tokenlease keygen --help'],
    [['sessions'], /missing action/, 'tokenlease sessions --help'],
    [['sessions', 'purge', '--store', 'sqlite:x.db'], /unknown action "purge"/, 'tokenlease sessions --help'],
    [['sessions', 'count'], /--store is required/, 'tokenlease sessions --help'],
    [['sessions', 'count', '--store', 'postgres://db'], /--store must start with sqlite: or redis:\/\//, 'tokenlease sessions --help'],
    [['sessions', 'count', '--store', 'sqlite:'], /needs a file path/, 'tokenlease sessions --help'],
    [['sessions', 'list', '--store', 'sqlite:x.db'], /list needs --subject/, 'tokenlease sessions --help'],
    [['sessions', 'list', '--store', 'sqlite:x.db', '--subject', ''], /must not be empty/, 'tokenlease sessions --help'],
    [['sessions', 'revoke', '--store', 'sqlite:x.db'], /revoke needs either --subject or --session/, 'tokenlease sessions --help'],
    [['sessions', 'revoke', '--store', 'sqlite:x.db', '--subject', 'a', '--session', 'b'], /either --subject or --session/, 'tokenlease sessions --help'],
    [['sessions', 'count', '--store', 'sqlite:x.db', '--session', 'b'], /--session applies to revoke only/, 'tokenlease sessions --help'],
    [['sessions', 'count', '--store', 'sqlite:x.db', '--prefix', 'app'], /--prefix applies to a Redis store only/, 'tokenlease sessions --help'],
    [['sessions', 'count', '--store', 'sqlite:x.db', 'extra'], /unexpected argument "extra"/, 'tokenlease sessions --help'],
  ])('exits 2 for %j, with the problem and where help is on stderr', async (args, problem, help) => {
    const run = await runCli(args);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(problem);
    expect(run.stderr).toContain(`Run "${help}" for usage.`);
  });

  it('exits 2 for a Redis prefix the store refuses, before connecting anywhere', async () => {
    const run = await runCli(['sessions', 'count', '--store', 'redis://127.0.0.1:1', '--prefix', 'a{b}']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/"prefix" must be a non-empty string without \{ or \}/);
  });

  it.each([
    [['--help'], /^Usage: tokenlease <command>/],
    [['-h'], /^Usage: tokenlease <command>/],
    [['keygen', '--help'], /^Usage: tokenlease keygen[\s\S]*HS256 .*\{"secret"/],
    [['keygen', '-h', '--alg', 'bogus'], /^Usage: tokenlease keygen/],
    [['sessions', '--help'], /^Usage:\n {2}tokenlease sessions count[\s\S]*Redis {3}running processes hear the revocation/],
    [['sessions', 'revoke', '-h'], /^Usage:\n {2}tokenlease sessions count/],
  ])('prints usage on stdout and exits 0 for %j', async (args, usage) => {
    const run = await runCli(args);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(usage);
  });
});
