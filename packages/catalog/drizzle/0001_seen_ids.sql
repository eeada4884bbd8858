CREATE TABLE "harvest_run_seen" (
	"tenant_id" text NOT NULL,
	"harvest_run_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	CONSTRAINT "harvest_run_seen_pkey" PRIMARY KEY("tenant_id","harvest_run_id","external_id")
);
--> statement-breakpoint
DROP INDEX "dealer_products_seen_run_idx";