-- expect: none
-- runway:nolint RW201 contract phase: release 2025.03 stopped reading orders.legacy_code
-- runway:up
ALTER TABLE orders DROP COLUMN legacy_code;
