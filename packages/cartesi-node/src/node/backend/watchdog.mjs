// Sits between the node and the backend process. The node may be killed without warning (kill -9,
// a crash, a test's fault injection); this watchdog notices through the IPC channel closing and
// takes the backend down with it, so no orphaned backend keeps polling a dead rollup API.
// It also tells the node the backend's real pid and kills the backend on request, so faults can be
// injected into the backend itself.
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command || !process.send) {
  console.error(
    'usage: node watchdog.mjs <command> [args...] (spawned by the devnet node with an IPC channel)',
  );
  process.exit(2);
}

const child = spawn(command, args, { stdio: 'inherit' });
child.on('error', (e) => {
  console.error(`cannot start "${command}": ${e.message}`);
  process.exit(127);
});
if (child.pid) process.send({ pid: child.pid });

let killTimer;
function stopChild(signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  killTimer ??= setTimeout(() => child.kill('SIGKILL'), 3000);
}

process.on('disconnect', () => stopChild('SIGTERM'));
process.on('SIGTERM', () => stopChild('SIGTERM'));
process.on('SIGINT', () => stopChild('SIGINT'));
process.on('message', (m) => {
  if (m && typeof m.kill === 'string') child.kill(m.kill);
});

child.on('exit', (code, signal) => {
  if (killTimer) clearTimeout(killTimer);
  // report how the backend ended: exit code 128+n for signal n, like a shell
  const signals = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15, SIGABRT: 6 };
  process.exitCode = signal ? 128 + (signals[signal] ?? 0) : (code ?? 1);
  process.disconnect?.();
});
