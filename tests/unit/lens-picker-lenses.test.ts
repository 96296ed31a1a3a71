import { describe, expect, it } from "vitest";
import { sniffImage } from "@/lib/body/image-sniff";
import { availableLenses, pickLens } from "@/components/inspector/lenses/registry";

const b = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
const gif = b("GIF89a\x01\x00\x01\x00\x00\x00\x00");
const webp = b("RIFF\x24\x00\x00\x00WEBPVP8 ");
const multipartBody = b('--x\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\n\x00\x01\x02\x03\x04\x05\r\n--x--');

describe("pickLens: the new lenses", () => {
  it.each([
    ["application/x-www-form-urlencoded", b("a=1&a=2"), "form"],
    ["application/x-www-form-urlencoded; charset=utf-8", b("a=%zz"), "form"],
    ["multipart/form-data; boundary=x", multipartBody, "multipart"],
    ["multipart/form-data", multipartBody, "text"], // no boundary: not split
    ["application/xml", b("<a/>"), "xml"],
    ["text/xml", b("<a/>"), "xml"],
    ["application/atom+xml", b("<feed/>"), "xml"],
    ["image/svg+xml", b("<svg onload='x()'/>"), "xml"],
    ["text/html; charset=utf-8", b("<p>hi</p>"), "html"],
    ["application/xhtml+xml", b("<html/>"), "html"],
    ["image/png", png, "image"],
    ["application/octet-stream", jpeg, "image"],
    [null, gif, "image"],
    ["image/webp", webp, "image"],
    ["image/png", b("not really a png"), "text"],
    ["text/plain", b('<?xml version="1.0"?><a/>'), "text"],
    [null, b('  <?xml version="1.0"?><a/>'), "xml"],
    [null, b("<!DOCTYPE html><title>x</title>"), "html"],
    [null, b("a=1&b=two"), "form"],
    [null, b("a sentence = not a form"), "text"],
    ["application/json", b("a=1"), "json"],
  ])("%s %j -> %s", (ct, bytes, lens) => {
    expect(pickLens(ct, bytes)).toBe(lens);
  });

  it("offers only lenses that fit, always with JSON, raw text and hex", () => {
    expect(availableLenses("application/json", b('{"a":1}'))).toEqual(["json", "text", "hex"]);
    expect(availableLenses("application/x-www-form-urlencoded", b("a=1"))).toEqual(["json", "form", "text", "hex"]);
    expect(availableLenses("multipart/form-data; boundary=x", multipartBody)).toEqual(["json", "multipart", "text", "hex"]);
    expect(availableLenses("text/html", b("<p>x</p>"))).toEqual(["json", "xml", "html", "text", "hex"]);
    expect(availableLenses("image/png", png)).toEqual(["json", "image", "text", "hex"]);
    // SVG is never an image preview.
    expect(availableLenses("image/svg+xml", b("<svg/>"))).not.toContain("image");
  });
});

describe("sniffImage", () => {
  it.each([
    [png, "image/png"],
    [jpeg, "image/jpeg"],
    [gif, "image/gif"],
    [b("GIF87a"), "image/gif"],
    [webp, "image/webp"],
    [b("RIFF\x24\x00\x00\x00WAVEfmt "), null],
    [b("<svg xmlns='http://www.w3.org/2000/svg'/>"), null],
    [png.subarray(0, 7), null],
    [new Uint8Array(), null],
  ])("%#", (bytes, type) => {
    expect(sniffImage(bytes)).toBe(type);
  });
});
