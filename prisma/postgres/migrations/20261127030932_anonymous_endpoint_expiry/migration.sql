-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN     "expiresAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Endpoint_expiresAt_idx" ON "Endpoint"("expiresAt");
