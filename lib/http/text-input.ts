// Text that can be stored: PostgreSQL's text columns refuse U+0000 (error 22021, which reached clients as a 500),
// while SQLite stores it. Rather than each schema remembering, the shared JSON reader and the route wrapper refuse a
// NUL in any string of a JSON body, query string or path parameter, with where it was. Bytes that may hold NUL by
// design travel as bytes: capture bodies never pass through here, and replay bodies (read with allowNul by lib/http/read-json.ts,
// sent and stored as bytes) may carry NUL as text or as bodyBase64. A response rule's body is stored as text, so a
// NUL there is refused like any other field's.
import { AppError, notFound } from "../errors";

const NUL = "\u0000";

function nulRefused(where: string): AppError {
  return new AppError("invalid_request", `${where}: contains a NUL character (U+0000), which cannot be stored as text.`);
}

/** Throws a 422 naming the first string (key or value) of a parsed JSON body that holds a NUL. */
export function assertNoNulInJson(value: unknown): void {
  // Iterative: a deeply nested body must not overflow the stack here.
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes(NUL)) throw nulRefused(path.join(".") || "body");
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, String(i)] });
    } else if (v !== null && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes(NUL)) throw nulRefused([...path, JSON.stringify(k)].join("."));
        stack.push({ value: child, path: [...path, k] });
      }
    }
  }
}

/** Query parameters: a 422 naming the parameter. Path parameters: no resource has a NUL in its id, so a 404. */
export function assertNoNulInRequest(searchParams: URLSearchParams, params: unknown): void {
  for (const [name, value] of searchParams) {
    if (name.includes(NUL) || value.includes(NUL)) throw nulRefused(`query parameter ${JSON.stringify(name.replaceAll(NUL, "\\0"))}`);
  }
  if (params !== null && typeof params === "object") {
    for (const v of Object.values(params)) {
      if ((typeof v === "string" && v.includes(NUL)) || (Array.isArray(v) && v.some((s) => typeof s === "string" && s.includes(NUL))))
        throw notFound();
    }
  }
}
