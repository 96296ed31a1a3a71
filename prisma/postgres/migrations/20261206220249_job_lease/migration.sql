-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "leaseUntil" TIMESTAMP(3),
ADD COLUMN     "owner" TEXT;
