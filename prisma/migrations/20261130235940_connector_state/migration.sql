-- CreateTable
CREATE TABLE "ConnectorState" (
    "tenantId" UUID NOT NULL,
    "connector" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "watermark" TIMESTAMPTZ(3),
    "lastRunAt" TIMESTAMPTZ(3),
    "lastSuccessAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "lastSummary" JSONB,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConnectorState_pkey" PRIMARY KEY ("tenantId","connector","stream")
);
