-- Issue 16: indexes for the selective structured HQL fields, each led by the endpoint and ending in seq, so an
-- endpoint's newest-first page of matches walks the index backwards (no scan, no sort).
-- The text columns are compared case-insensitively by HQL: indexed as lower(col) with text_pattern_ops, which
-- serves `lower(col) = ?` and prefix globs `lower(col) LIKE 'abc%'` (lib/search/sql/compile.ts). (Prisma's
-- datamodel cannot describe an expression index, and the PostgreSQL migrations are diffed datamodel to datamodel,
-- so it stays as written here.)

-- CreateIndex
CREATE INDEX "Capture_endpointId_bodySize_seq_idx" ON "Capture"("endpointId", "bodySize", "seq");

-- CreateIndex
CREATE INDEX "Capture_endpointId_responseStatus_seq_idx" ON "Capture"("endpointId", "responseStatus", "seq");

-- CreateIndex
CREATE INDEX "CaptureSearch_endpointId_delivery_seq_idx" ON "CaptureSearch"("endpointId", lower("delivery") text_pattern_ops, "seq");

-- CreateIndex
CREATE INDEX "CaptureSearch_endpointId_provider_event_seq_idx" ON "CaptureSearch"("endpointId", lower("provider") text_pattern_ops, lower("event") text_pattern_ops, "seq");

-- CreateIndex
CREATE INDEX "CaptureSearch_endpointId_bodyType_seq_idx" ON "CaptureSearch"("endpointId", lower("bodyType") text_pattern_ops, "seq");

-- Statistics for the expression indexes' values (lower(...)): autovacuum analyses on row changes, not on a new index.
ANALYZE "Capture";
ANALYZE "CaptureSearch";
