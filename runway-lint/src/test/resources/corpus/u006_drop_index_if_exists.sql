-- expect: RW102
DROP INDEX IF EXISTS public.orders_status_idx;
