// `node --import ./register-typescript.mjs child.ts`: installs the TypeScript module hooks.
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);
