// `*` globs without regular expressions: the pattern is split at its stars, the first piece must
// begin the text, the last must end it, and the pieces between are found left to right with
// indexOf (taking the leftmost match is always safe for `*`-only patterns). No backtracking, so no
// pattern can make it slow: each piece is searched once, over the part of the text after the last.
// Callers lower-case both sides (HQL strings compare case-insensitively).

/** Whether `pattern` (stars = any run of characters) matches the whole `text`. */
export function globMatch(pattern: string, text: string): boolean {
  const pieces = pattern.split("*");
  if (pieces.length === 1) return pattern === text;
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const stop = text.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i]!;
    if (piece === "") continue;
    const found = text.indexOf(piece, at);
    if (found < 0 || found + piece.length > stop) return false;
    at = found + piece.length;
  }
  return true;
}

/** Whether `pattern` matches some substring of `text` (body:, which is a substring field). */
export function globContains(pattern: string, text: string): boolean {
  return pattern.includes("*") ? globMatch(`*${pattern}*`, text) : text.includes(pattern);
}
