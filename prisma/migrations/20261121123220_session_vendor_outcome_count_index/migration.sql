-- CreateIndex
CREATE INDEX "Session_tenantId_vendor_outcome_createdAt_idx" ON "Session"("tenantId", "vendor", "outcome", "createdAt");
