-- expect: RW116
CLUSTER orders USING orders_pkey;
