// Whether a process still runs: for lock files and partial folders a killed process left behind.
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
