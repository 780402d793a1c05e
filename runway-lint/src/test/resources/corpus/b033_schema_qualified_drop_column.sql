-- expect: RW201
-- corpus-note: held-out
ALTER TABLE public.orders DROP COLUMN IF EXISTS shipped_at CASCADE;
