-- expect: none
CREATE TABLE metrics (at timestamptz NOT NULL, name text, value float8) PARTITION BY RANGE (at);
CREATE TABLE metrics_2025 PARTITION OF metrics FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX metrics_name_idx ON metrics (name);
