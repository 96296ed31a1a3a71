-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Endpoint" (
    "id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "alias" TEXT,
    "name" TEXT NOT NULL,
    "ownerKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "responseStatus" INTEGER NOT NULL DEFAULT 200,
    "responseHeaders" TEXT NOT NULL DEFAULT '[]',
    "responseBody" TEXT,
    "responseDelayMs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Endpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Capture" (
    "seq" SERIAL NOT NULL,
    "id" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "receivedAt" BIGINT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "httpVersion" TEXT NOT NULL,
    "headers" TEXT NOT NULL,
    "body" BYTEA NOT NULL,
    "bodySize" INTEGER NOT NULL,
    "bodySha256" TEXT NOT NULL,
    "contentType" TEXT,
    "remoteAddr" TEXT NOT NULL,
    "rejected" TEXT,
    "responseStatus" INTEGER NOT NULL,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "Capture_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "Endpoint_token_key" ON "Endpoint"("token");

-- CreateIndex
CREATE UNIQUE INDEX "Endpoint_alias_key" ON "Endpoint"("alias");

-- CreateIndex
CREATE INDEX "Endpoint_ownerKey_idx" ON "Endpoint"("ownerKey");

-- CreateIndex
CREATE UNIQUE INDEX "Capture_id_key" ON "Capture"("id");

-- CreateIndex
CREATE INDEX "Capture_endpointId_seq_idx" ON "Capture"("endpointId", "seq");

-- AddForeignKey
ALTER TABLE "Capture" ADD CONSTRAINT "Capture_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "Endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
