CREATE TABLE "harvest_run_seen" (
	"tenant_id" text NOT NULL,
	"harvest_run_id" uuid NOT NULL,
	"external_ids" text[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dealer_products" DROP CONSTRAINT "dealer_products_supplier_fkey";
--> statement-breakpoint
DROP INDEX "dealer_products_seen_run_idx";--> statement-breakpoint
CREATE INDEX "harvest_run_seen_run_idx" ON "harvest_run_seen" USING btree ("tenant_id","harvest_run_id");--> statement-breakpoint
CREATE INDEX "dealer_products_pending_run_idx" ON "dealer_products" USING btree ("tenant_id","last_seen_run_id","id") WHERE "dealer_products"."enrichment_status" = 'pending';