/**
 * Ending everything a child process started. A child spawned `detached` leads a session of its own;
 * whatever it starts stays in that session unless it calls setsid(), which the permission model
 * leaves no way to do (no process, no addon). So killing the session's process group, and then
 * every process the kernel still lists in that session, ends all of it.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The processes in session `sid` (Linux: from /proc), the session leader included. */
function inSession(sid: number): number[] {
  if (process.platform !== 'linux') return [];
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid pgrp session …: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]) === sid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * Kills the session (and process group) that the process `pid` leads. On Linux only while the
 * kernel still lists a process in it: a number still in use as a session is never given to a new
 * process, so this never reaches someone else's group.
 */
export function killSession(pid: number | undefined): void {
  if (!pid) return;
  const members = inSession(pid);
  if (process.platform === 'linux' && members.length === 0) return;
  for (const target of [-pid, ...members]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
