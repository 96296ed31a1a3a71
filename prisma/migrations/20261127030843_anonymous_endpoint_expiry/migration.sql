-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN "expiresAt" DATETIME;

-- CreateIndex
CREATE INDEX "Endpoint_expiresAt_idx" ON "Endpoint"("expiresAt");
