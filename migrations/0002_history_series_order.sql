CREATE INDEX "price_history_resolution_t_idx" ON "price_history" USING btree ("resolution","t");--> statement-breakpoint
ALTER TABLE "price_history" DROP CONSTRAINT "price_history_pk";
--> statement-breakpoint
ALTER TABLE "price_history" ADD CONSTRAINT "price_history_pk" PRIMARY KEY("gpu","resolution","source","provider","pricing","cloud","t");