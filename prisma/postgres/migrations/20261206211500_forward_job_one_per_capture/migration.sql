-- One forwarding job per capture: several instances (or an instance's start-up catch-up racing the
-- one that took the capture) could each write one. Duplicates are removed first, keeping a
-- delivered job over a pending one over a failed one, then the oldest.
DELETE FROM "ForwardJob" WHERE "id" IN (
    SELECT "id" FROM (
        SELECT "id", ROW_NUMBER() OVER (
            PARTITION BY "captureId"
            ORDER BY CASE "state" WHEN 'delivered' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, "id"
        ) AS "rank"
        FROM "ForwardJob"
    ) AS "ranked" WHERE "rank" > 1
);

-- DropIndex
DROP INDEX "ForwardJob_captureId_idx";

-- CreateIndex
CREATE UNIQUE INDEX "ForwardJob_captureId_key" ON "ForwardJob"("captureId");
