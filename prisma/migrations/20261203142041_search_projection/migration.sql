-- CreateTable
CREATE TABLE "CaptureSearch" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "endpointId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "bodyStart" INTEGER NOT NULL,
    "bodyType" TEXT NOT NULL,
    "provider" TEXT,
    "event" TEXT,
    "delivery" TEXT,
    "json" JSONB,
    "form" TEXT,
    CONSTRAINT "CaptureSearch_seq_fkey" FOREIGN KEY ("seq") REFERENCES "Capture" ("seq") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CaptureSearch_endpointId_seq_idx" ON "CaptureSearch"("endpointId", "seq");
