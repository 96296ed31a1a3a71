import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appSocket, removeStaleAppSocketDirs } from "@/lib/door/app-socket";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp() {
  const d = mkdtempSync(path.join(os.tmpdir(), "app-socket-test-"));
  dirs.push(d);
  return d;
}

/** A pid that was running a moment ago and is not any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
  return Number(child.stdout.trim());
}

describe("the app's socket directory", () => {
  it("is private to this user and carries this server's pid", () => {
    const base = tmp();
    const socket = appSocket(base);
    const dir = path.dirname(socket.path);
    expect(path.basename(dir)).toMatch(new RegExp(`^hookscope-${process.pid}-[A-Za-z0-9]{6}$`));
    expect(path.basename(socket.path)).toBe("app.sock");
    // mkdtemp makes it 0700: nobody else can reach the socket inside.
    expect(spawnSync("stat", ["-c", "%a", dir], { encoding: "utf8" }).stdout.trim()).toBe("700");
    socket.remove();
    expect(existsSync(dir)).toBe(false);
  });

  it("a killed server's directory is removed at the next start; a running server's, this one's and others' names are kept", () => {
    const base = tmp();
    const make = (name: string) => {
      mkdirSync(path.join(base, name));
      writeFileSync(path.join(base, name, "app.sock"), "");
      return path.join(base, name);
    };
    const stale = make(`hookscope-${deadPid()}-AbC123`);
    const running = make(`hookscope-${process.ppid}-XyZ789`);
    const own = make(`hookscope-${process.pid}-Own456`);
    const unrelated = make("hookscope-test-qvtQeS");
    expect(removeStaleAppSocketDirs(base)).toBe(1);
    expect(existsSync(stale)).toBe(false);
    for (const kept of [running, own, unrelated]) expect(existsSync(kept)).toBe(true);
  });
});
