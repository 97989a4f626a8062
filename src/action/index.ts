/** The bundle's entry (esbuild bundles this file into dist-action/index.mjs): runs the action. */
import { main } from './main.js';

await main();
