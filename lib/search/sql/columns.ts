// The tables and columns the HQL compiler reads, as Prisma names them (quoted: "Capture" and its
// camelCase columns). One statement shape: `"Capture" c JOIN "CaptureSearch" s ON s."seq" = c."seq"
// LEFT JOIN "SignatureCheck" k ON k."captureId" = c."id"`.
export const FROM_SEARCH = `"Capture" c JOIN "CaptureSearch" s ON s."seq" = c."seq" LEFT JOIN "SignatureCheck" k ON k."captureId" = c."id"`;

export const COL = {
  seq: `c."seq"`,
  id: `c."id"`,
  endpointId: `c."endpointId"`,
  method: `c."method"`,
  path: `c."path"`,
  query: `c."query"`,
  status: `c."responseStatus"`,
  size: `c."bodySize"`,
  received: `c."receivedAt"`,
  ip: `c."remoteAddr"`,
  rejected: `c."rejected"`,
  text: `s."text"`,
  bodyType: `s."bodyType"`,
  provider: `s."provider"`,
  event: `s."event"`,
  delivery: `s."delivery"`,
  json: `s."json"`,
  form: `s."form"`,
  sig: `k."status"`,
} as const;

/**
 * The SQLite FTS5 index over CaptureSearch.text (contentless, rowid = seq, trigram tokenizer), in the search file
 * ATTACHed as "search" (lib/db/search-indexes.ts); queried as a table-valued function: `FTS_TABLE(?)` is MATCH ?.
 */
export const FTS_TABLE = `"search"."CaptureSearchFts"`;
/** The indexed range: every CaptureSearch row with FTS_LOW <= seq <= FTS_UP_TO is in the index. */
export const FTS_LOW = `(SELECT "low" FROM "search"."CaptureSearchFtsState" WHERE "id" = 1)`;
export const FTS_UP_TO = `(SELECT "upTo" FROM "search"."CaptureSearchFtsState" WHERE "id" = 1)`;
