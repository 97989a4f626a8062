import { loadRuleset } from '../src/collectors/files/rules.js';
import { scanLive, startLiveSandbox } from './live.js';
const { ruleset } = loadRuleset({ pack: 'recommended' });
const n = Number(process.argv[2] ?? 2000);
const sb = await startLiveSandbox({ accounts: n, usersPerAccount: 100, latencyMs: 1 });
const m = await scanLive({ endpoint: sb.endpoint, credentials: sb.credentials, concurrency: 16, outputFile: '/tmp/cwb/x.jsonl', rssEvery: n / 10 }, ruleset);
await sb.close();
console.log(JSON.stringify({ ...m, callHistogram: undefined }), process.resourceUsage().maxRSS / 1024);
