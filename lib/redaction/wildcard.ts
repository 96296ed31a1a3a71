// Name patterns of redaction rules (header, form field and query parameter names): no imports, so the browser
// bundle can use it (the replay form marks the credential headers it will leave out).

/** Case-insensitive matcher for a name where `*` stands for any run of characters (maybe empty). */
export function wildcardMatcher(pattern: string): (name: string) => boolean {
  const lower = pattern.toLowerCase();
  if (!lower.includes("*")) return (name) => name.toLowerCase() === lower;
  const parts = lower.split("*");
  return (name) => {
    const s = name.toLowerCase();
    const first = parts[0] as string;
    const last = parts[parts.length - 1] as string;
    if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const limit = s.length - last.length;
    for (let i = 1; i < parts.length - 1; i++) {
      const part = parts[i] as string;
      const found = s.indexOf(part, at);
      if (found < 0 || found + part.length > limit) return false;
      at = found + part.length;
    }
    return true;
  };
}
