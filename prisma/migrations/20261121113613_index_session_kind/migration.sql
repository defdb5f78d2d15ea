-- CreateIndex
CREATE INDEX "Session_kind_createdAt_id_idx" ON "Session"("kind", "createdAt", "id");
