import { describe, expect, it } from "vitest";
import { isBusyError, isStorageUnavailable } from "@/lib/db/errors";

const adapterBusy = Object.assign(new Error("SocketTimeout"), { cause: { kind: "SocketTimeout", originalCode: "SQLITE_BUSY" } });

describe("database error classification", () => {
  it.each([
    [adapterBusy, true, true],
    [Object.assign(new Error("x"), { busy: true }), true, true],
    [new Error("database is locked"), true, true],
    [new Error("timeout exceeded when trying to connect"), false, true],
    [Object.assign(new Error("pool"), { code: "P2024" }), false, true],
    [new Error("connect ECONNREFUSED 127.0.0.1:5432"), false, true],
    [Object.assign(new Error("Unique constraint"), { code: "P2002" }), false, false],
    [new Error("syntax error at or near"), false, false],
    [null, false, false],
    ["database is locked", false, false],
  ])("%#: busy %s, unavailable %s", (err, busy, unavailable) => {
    expect(isBusyError(err)).toBe(busy);
    expect(isStorageUnavailable(err)).toBe(unavailable);
  });
});
