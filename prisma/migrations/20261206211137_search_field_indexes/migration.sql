-- Issue 16: indexes for the selective structured HQL fields, each led by the endpoint and ending in seq, so an
-- endpoint's newest-first page of matches walks the index backwards (no scan, no sort).
-- The text columns are compared case-insensitively by HQL (ASCII folding, as LIKE does): COLLATE NOCASE here
-- lets `col = ? COLLATE NOCASE` (lib/search/sql/compile.ts) seek them. (Prisma's datamodel cannot say so, and its
-- diff ignores an index column's collation.)

-- CreateIndex
CREATE INDEX "Capture_endpointId_bodySize_seq_idx" ON "Capture"("endpointId", "bodySize", "seq");

-- CreateIndex
CREATE INDEX "Capture_endpointId_responseStatus_seq_idx" ON "Capture"("endpointId", "responseStatus", "seq");

-- CreateIndex
CREATE INDEX "CaptureSearch_endpointId_delivery_seq_idx" ON "CaptureSearch"("endpointId", "delivery" COLLATE NOCASE, "seq");

-- CreateIndex
CREATE INDEX "CaptureSearch_endpointId_provider_event_seq_idx" ON "CaptureSearch"("endpointId", "provider" COLLATE NOCASE, "event" COLLATE NOCASE, "seq");

-- CreateIndex
CREATE INDEX "CaptureSearch_endpointId_bodyType_seq_idx" ON "CaptureSearch"("endpointId", "bodyType" COLLATE NOCASE, "seq");
