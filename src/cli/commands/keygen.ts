import { parseArgs } from 'node:util';
import { generateSigningKey } from '../../keys/generate-signing-key.js';
import type { Algorithm } from '../../keys/key-options.js';
import type { CliIo } from '../cli-io.js';
import { HELP_OPTION, parseCommandLine } from '../parse-command-line.js';
import { UsageError } from '../usage-error.js';

const ALGORITHMS: readonly Algorithm[] = ['EdDSA', 'ES256', 'RS256', 'HS256'];

/** The help of `tokenlease keygen`. */
export const KEYGEN_HELP = `Usage: tokenlease keygen [--alg EdDSA|ES256|RS256|HS256]

Prints a new signing key as one line of JSON on standard output:
  EdDSA, ES256, RS256  a private JWK with "alg" and "kid" (its RFC 7638 thumbprint),
                       for createAuth({ keys: { signing: <the JWK> } })
  HS256                {"secret":"<32 random bytes, base64url>"}, which is the keys
                       option itself: createAuth({ keys: <the object> })

The output is a secret: keep it in a secret manager or an environment variable,
never in a repository. Only auth.jwks() is public.

Options:
  --alg <alg>  EdDSA (default), ES256, RS256 or HS256
  -h, --help   Show this help
`;

/** `tokenlease keygen`: prints a new key for `createAuth({ keys })`. */
export async function runKeygen(args: readonly string[], io: CliIo): Promise<void> {
  const { values } = parseCommandLine('keygen', () =>
    parseArgs({ args: [...args], options: { ...HELP_OPTION, alg: { type: 'string', default: 'EdDSA' } }, strict: true }),
  );
  if (values.help === true) return io.out(KEYGEN_HELP);
  const alg = ALGORITHMS.find((known) => known === values.alg);
  if (alg === undefined) throw new UsageError('keygen', `--alg must be one of ${ALGORITHMS.join(', ')}, not "${values.alg}"`);
  const key = alg === 'HS256' ? { secret: generateSigningKey('HS256') } : generateSigningKey(alg);
  io.out(`${JSON.stringify(key)}\n`);
}
