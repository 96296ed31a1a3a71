import { describe, expect, it } from "vitest";
import { isJsonType, pickLens } from "@/components/inspector/lenses/registry";

const bytes = (s: string) => new Uint8Array(Buffer.from(s));

describe("lens picker", () => {
  it("opens JSON content types in the JSON lens", () => {
    expect(pickLens("application/json; charset=utf-8", bytes('{"a":1}'))).toBe("json");
    expect(pickLens("application/vnd.api+json", bytes("[]"))).toBe("json");
    expect(isJsonType("Application/JSON")).toBe(true);
    expect(isJsonType("application/jsonp")).toBe(false);
  });

  it("opens text types as text, and HTML, forms and XML in their own lenses", () => {
    expect(pickLens("text/plain", bytes("<p>hi</p>"))).toBe("text");
    expect(pickLens("text/csv", bytes("a,b\n1,2"))).toBe("text");
    expect(pickLens("text/html", bytes("<p>hi</p>"))).toBe("html");
    expect(pickLens("application/x-www-form-urlencoded", bytes("a=1&b=2"))).toBe("form");
    expect(pickLens("application/xml", bytes("<a/>"))).toBe("xml");
  });

  it("opens binary bytes in hex (or as an image) whatever the content type claims", () => {
    const bin = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 1, 2, 3, 4]);
    // A PNG signature opens the image preview; other binary opens in hex whatever the type claims.
    expect(pickLens("application/octet-stream", bin)).toBe("image");
    const other = bin.slice(1);
    expect(pickLens("application/octet-stream", other)).toBe("hex");
    expect(pickLens("application/json", other)).toBe("hex");
    expect(pickLens(null, other)).toBe("hex");
  });

  it("sniffs JSON-looking bodies without a content type", () => {
    expect(pickLens(null, bytes('  {"x":true}'))).toBe("json");
    expect(pickLens("", bytes("plain words"))).toBe("text");
  });

  it("shows an empty body as text", () => {
    expect(pickLens("application/json", new Uint8Array())).toBe("text");
  });
});
