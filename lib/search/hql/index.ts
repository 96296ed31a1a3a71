// HQL, the query language (docs/hql.md): parse → tree (ast.ts), evaluate in memory, highlight and
// suggest for the search bar. Pure TypeScript, shared by the server and the browser.
export * from "./ast";
export { evaluate, evaluateNode, inInterval, jsonValues } from "./evaluate";
export { HqlError } from "./errors";
export { type FieldInfo, fieldCatalogue, fieldName } from "./fields";
export { type HighlightKind, type HighlightSpan, highlight } from "./highlight";
export { MAX_QUERY_LENGTH } from "./lexer";
export { MAX_DEPTH, MAX_TERMS, type ParseOptions, parse } from "./parser";
export { print } from "./print";
export { searchTexts } from "./search-text";
export { type SuggestContext, type SuggestItem, suggest } from "./suggest";
