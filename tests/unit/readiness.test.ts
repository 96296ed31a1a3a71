// /readyz's decision (lib/ops/readiness.ts): the door thread listens while the app is still starting
// (server.ts starts both at once, issue 17), and answers "starting" until the app listens; a draining
// instance says so first. The database check runs against a real answer here: the migration list.
import { describe, expect, it } from "vitest";
import { pendingOf } from "@/lib/db/migration-state";
import { readiness } from "@/lib/ops/readiness";

const allApplied = async () => {
  // Every migration the code ships, as the database would list them once applied.
  const pending = pendingOf("sqlite", []);
  return pending;
};

describe("readiness", () => {
  it("is ready when every shipped migration is applied and the app listens", async () => {
    expect(await readiness({ appliedMigrations: allApplied, provider: "sqlite", draining: false })).toEqual([]);
    expect(await readiness({ appliedMigrations: allApplied, provider: "sqlite", draining: false, starting: false })).toEqual([]);
  });

  it("answers starting while the app is not listening yet, whatever the database says", async () => {
    let asked = 0;
    const notReady = await readiness({
      appliedMigrations: async () => {
        asked++;
        return [];
      },
      provider: "sqlite",
      draining: false,
      starting: true,
    });
    expect(notReady.map((r) => r.code)).toEqual(["starting"]);
    expect(asked).toBe(0);
  });

  it("draining comes before starting", async () => {
    const notReady = await readiness({ appliedMigrations: allApplied, provider: "sqlite", draining: true, starting: true });
    expect(notReady.map((r) => r.code)).toEqual(["draining"]);
  });

  it("lists the migrations not applied", async () => {
    const all = await allApplied();
    const notReady = await readiness({ appliedMigrations: async () => all.slice(1), provider: "sqlite", draining: false });
    expect(notReady.map((r) => r.code)).toEqual(["migrations_pending"]);
  });
});
