#!/bin/sh
# Prisma's CLI wants a native schema engine that cannot be downloaded here.
# Parley creates and applies migrations with the WASM engine instead (npm run db:migration).
echo "Parley: the native Prisma schema engine is not used; see README (Migrations)." >&2
exit 1
