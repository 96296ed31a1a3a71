import { describe, expect, test } from "vitest";
import { z } from "zod";
import { errorResponse } from "@/lib/http/route";
import { signUpSchema } from "@/lib/accounts/users";
import { redactionRulesSchema } from "@/lib/redaction/rules";

async function body(err: unknown) {
  const res = errorResponse(err);
  return { status: res.status, json: (await res.json()) as { error: { code: string; message: string; issues?: unknown } } };
}

function zodError(schema: z.ZodType, value: unknown): z.ZodError {
  const r = schema.safeParse(value);
  if (r.success) throw new Error("expected a validation failure");
  return r.error;
}

describe("422 invalid_request carries issues: [{ path, message }]", () => {
  test("one issue per problem, the path as a list of keys and indexes", async () => {
    const schema = z.object({ name: z.string().max(3), rules: z.array(z.object({ path: z.string().min(1) })) });
    const { status, json } = await body(zodError(schema, { name: "long", rules: [{ path: "ok" }, { path: "" }] }));
    expect(status).toBe(422);
    expect(json.error.code).toBe("invalid_request");
    expect(json.error.issues).toEqual([
      { path: ["name"], message: expect.stringMatching(/3/) },
      { path: ["rules", 1, "path"], message: expect.any(String) },
    ]);
  });

  test("the flattened message stays as it was (scripts and older clients read it)", async () => {
    const schema = z.object({ a: z.number(), b: z.object({ c: z.string() }) });
    const { json } = await body(zodError(schema, { a: "x", b: {} }));
    const issues = json.error.issues as { path: (string | number)[]; message: string }[];
    expect(json.error.message).toBe(issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  });

  test("a problem with the whole body has an empty path (message says body)", async () => {
    const { json } = await body(zodError(z.object({ a: z.string() }), "not an object"));
    expect(json.error.issues).toEqual([{ path: [], message: expect.any(String) }]);
    expect(json.error.message).toMatch(/^body: /);
  });

  test("the real sign-up and redaction schemas name their fields", async () => {
    const signUp = await body(zodError(signUpSchema, { email: "nope", password: "short" }));
    const paths = (signUp.json.error.issues as { path: unknown[] }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining([["email"], ["password"]]));
    const rules = await body(
      zodError(redactionRulesSchema, [
        { kind: "header", name: "ok" },
        { kind: "json_path", path: "$.[" },
      ]),
    );
    expect((rules.json.error.issues as { path: unknown[] }[])[0]?.path.slice(0, 1)).toEqual([1]);
  });

  test("other errors carry no issues", async () => {
    const { json } = await body(new Error("boom"));
    expect(json.error).toEqual({ code: "internal", message: "Internal error." });
  });
});
