-- expect: none
INSERT INTO products (id, sku, price, title) VALUES (1, 'gift-card', 10, 'Gift card');
