-- expect: RW101
CREATE INDEX "Orders_Total_Idx" ON public."orders" (total);
