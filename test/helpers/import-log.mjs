// `node --import ./test/helpers/import-log.mjs …`: records the modules a process loads (see import-log-hooks.mjs).
import { register } from 'node:module';

register('./import-log-hooks.mjs', import.meta.url);
