import { describe, expect, it } from "vitest";
import { prettyXml } from "@/lib/body/xml-pretty";

const pretty = (s: string) => {
  const r = prettyXml(s);
  if (!r.ok) throw new Error(r.reason);
  return r;
};

describe("prettyXml", () => {
  it.each([
    ["<a><b>1</b><c/></a>", "<a>\n  <b>1</b>\n  <c/>\n</a>"],
    ['<?xml version="1.0"?><r x="1>2" y=\'a/>\'><e></e></r>', '<?xml version="1.0"?>\n<r x="1>2" y=\'a/>\'>\n  <e></e>\n</r>'],
    [
      "<r>\n   <!-- a <b> comment -->\n  <![CDATA[ <not> & tags ]]>\n</r>",
      "<r>\n  <!-- a <b> comment -->\n  <![CDATA[ <not> & tags ]]>\n</r>",
    ],
    ['<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', '<!DOCTYPE r [<!ENTITY x "y">]>\n<r>&x;</r>'],
    ["<ns:a xmlns:ns='u'><ns:b>t</ns:b></ns:a>", "<ns:a xmlns:ns='u'>\n  <ns:b>t</ns:b>\n</ns:a>"],
    ["<a>x < y</a>", "<a>x < y</a>"],
    ["<r><a>1</a>\n\n  <b>two words</b>\n</r>", "<r>\n  <a>1</a>\n  <b>two words</b>\n</r>"],
  ])("%s", (input, expected) => {
    expect(pretty(input).text).toBe(expected);
  });

  it("keeps entities and text unresolved", () => {
    const r = pretty('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>');
    expect(r.text).toContain("&e;");
    expect(r.text).not.toContain("root:");
  });

  it.each([
    ["<a><b>", /not balanced/],
    ["</a></b>", /not balanced/],
    ["<a><!-- never closed", /Unterminated comment/],
    ["<a attr='x", /Unterminated tag/],
    ["<![CDATA[ open", /Unterminated CDATA/],
  ])("is tolerant of %s", (input, warning) => {
    const r = pretty(input);
    expect(r.warnings.join(" ")).toMatch(warning);
  });

  it("handles very deep nesting without recursion and caps the indent", () => {
    const depth = 20_000;
    const r = pretty("<a>".repeat(depth) + "</a>".repeat(depth));
    const lines = r.text.split("\n");
    expect(lines).toHaveLength(depth * 2 - 1); // the innermost <a></a> is one line
    expect(Math.max(...lines.slice(0, 1000).map((l) => l.length - l.trimStart().length))).toBe(80);
  });

  it("refuses input or output over the caps", () => {
    expect(prettyXml("<a/>".repeat(10), { maxInputChars: 10, maxOutputChars: 100, maxIndent: 40 })).toMatchObject({ ok: false });
    expect(prettyXml("<a/>".repeat(100), { maxInputChars: 1000, maxOutputChars: 50, maxIndent: 40 })).toEqual({
      ok: false,
      reason: "pretty form too large",
    });
  });
});
