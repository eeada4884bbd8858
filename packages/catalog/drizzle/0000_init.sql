CREATE TABLE "dealer_products" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dealer_products_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"vendor" text,
	"category" text,
	"category_id" text,
	"price" numeric(14, 4),
	"currency" char(3),
	"old_price" numeric(14, 4),
	"stock" integer,
	"available" boolean DEFAULT true NOT NULL,
	"url" text,
	"images" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"barcode" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"enrichment_status" text DEFAULT 'pending' NOT NULL,
	"enrichment_result" jsonb,
	"enrichment_hash" text,
	"claimed_by" text,
	"claim_expires_at" timestamp with time zone,
	"missing_since" timestamp with time zone,
	"last_seen_run_id" uuid,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dealer_products_enrichment_status_check" CHECK ("dealer_products"."enrichment_status" in ('pending', 'processing', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "harvest_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"feed_hash" text,
	"feed_bytes" bigint,
	"created_count" integer DEFAULT 0 NOT NULL,
	"updated_count" integer DEFAULT 0 NOT NULL,
	"unchanged_count" integer DEFAULT 0 NOT NULL,
	"invalid_count" integer DEFAULT 0 NOT NULL,
	"duplicate_count" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"marked_missing_count" integer DEFAULT 0 NOT NULL,
	"durations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"store_progress" jsonb,
	"dry_run" boolean DEFAULT false NOT NULL,
	"workflow_id" text,
	CONSTRAINT "harvest_runs_status_check" CHECK ("harvest_runs"."status" in ('running', 'completed', 'unchanged', 'failed', 'dry_run'))
);
--> statement-breakpoint
CREATE TABLE "suppliers" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"feed_url" text NOT NULL,
	"format" text NOT NULL,
	"transformer" text,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"harvest_cron" text,
	"last_etag" text,
	"last_modified" text,
	"last_content_hash" text,
	"last_harvest_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppliers_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "suppliers_format_check" CHECK ("suppliers"."format" in ('csv', 'json', 'jsonl', 'xml', 'yml', 'google-merchant'))
);
--> statement-breakpoint
ALTER TABLE "dealer_products" ADD CONSTRAINT "dealer_products_supplier_fkey" FOREIGN KEY ("tenant_id","supplier_id") REFERENCES "public"."suppliers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_runs" ADD CONSTRAINT "harvest_runs_supplier_fkey" FOREIGN KEY ("tenant_id","supplier_id") REFERENCES "public"."suppliers"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dealer_products_tenant_supplier_external_key" ON "dealer_products" USING btree ("tenant_id","supplier_id","external_id");--> statement-breakpoint
CREATE INDEX "dealer_products_pending_idx" ON "dealer_products" USING btree ("tenant_id","id") WHERE "dealer_products"."enrichment_status" = 'pending';--> statement-breakpoint
CREATE INDEX "dealer_products_seen_run_idx" ON "dealer_products" USING btree ("tenant_id","supplier_id","last_seen_run_id");--> statement-breakpoint
CREATE INDEX "harvest_runs_supplier_started_idx" ON "harvest_runs" USING btree ("tenant_id","supplier_id","started_at");