import { describe, expect, it } from "vitest";
import { parseLastEventId } from "@/lib/http/sse";

describe("parseLastEventId", () => {
  it.each([
    ["", null],
    [null, null],
    [undefined, null],
    ["abc", null],
    ["-1", null],
    ["1.5", null],
    ["NaN", null],
    ["Infinity", null],
    ["9007199254740993", null],
    ["42abc", null],
    ["0", 0],
    ["42", 42],
    ["9007199254740991", 9007199254740991],
  ] as const)("%j → %j", (input, expected) => {
    expect(parseLastEventId(input)).toBe(expected);
  });
});
