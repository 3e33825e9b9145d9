import { build } from 'esbuild';
import { esbuildOptionsFor } from './figures/bundles';
import { FUNCTION_BUNDLING, FUNCTION_RUNTIME } from '../lib/constructs/contracts-function';
(async () => {
  for (const name of process.argv.slice(2)) {
    const entry = name === 'minimal' ? `${__dirname}/minimal-handler.ts` : `${__dirname}/../functions/handlers/${name}.ts`;
    await build({ ...esbuildOptionsFor(FUNCTION_BUNDLING, FUNCTION_RUNTIME, entry, `/tmp/b/${name}/index.js`), minify: process.env.NOMIN ? false : true });
  }
})();
