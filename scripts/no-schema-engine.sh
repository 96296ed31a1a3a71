#!/bin/sh
# Prisma's CLI insists that a native schema-engine binary exists before `prisma generate`, then
# never runs it for generation. Machines that reach only the npm registry cannot download it, so
# PRISMA_SCHEMA_ENGINE_BINARY points here. Migrations run through @prisma/schema-engine-wasm
# instead (scripts/db-migrate.ts); this stub only explains itself if anything does call it.
echo "hookscope: the native Prisma schema engine is not installed; use 'npm run db:migrate'" >&2
exit 1
