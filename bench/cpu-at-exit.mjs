// `node --import ./bench/cpu-at-exit.mjs …`: writes the process's CPU time (user + system, ms) to
// the file named by CREDWARDEN_CPU_FILE when it exits. CPU time, unlike wall time, barely depends
// on how loaded the machine is, so start-up figures stay comparable between runs.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  if (process.env.CREDWARDEN_CPU_FILE) writeFileSync(process.env.CREDWARDEN_CPU_FILE, String(Math.round((user + system) / 1000)));
});
