#!/usr/bin/env node
// Launcher: the TypeScript sources are compiled to dist/ by `npm ci` (prepare script).
import { main } from '../dist/src/cli/main.js';

main();
