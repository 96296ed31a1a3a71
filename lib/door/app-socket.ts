// Where the Next.js app listens for the door thread: a Unix socket in a directory of its own under
// the system's temp directory (mode 0700: only this user can connect). The directory's name
// carries the server's pid, so directories left by a server that was killed (a normal exit
// removes its own) are recognised and removed at the next start.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const DIR = /^hookscope-(\d+)-[A-Za-z0-9]{6}$/;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as another user's process.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the socket directories of servers no longer running; returns how many. */
export function removeStaleAppSocketDirs(tmp = os.tmpdir()): number {
  let removed = 0;
  for (const name of readdirSync(tmp)) {
    const m = DIR.exec(name);
    if (!m || Number(m[1]) === process.pid || running(Number(m[1]))) continue;
    try {
      rmSync(path.join(tmp, name), { recursive: true, force: true });
      removed++;
    } catch {
      // not ours to remove
    }
  }
  return removed;
}

/** A fresh private directory for this server's app socket; `remove` deletes it. */
export function appSocket(tmp = os.tmpdir()): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmp, `hookscope-${process.pid}-`));
  return { path: path.join(dir, "app.sock"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
