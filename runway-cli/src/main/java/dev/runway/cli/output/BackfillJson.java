package dev.runway.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.migrate.backfill.KeyPosition;
import java.util.List;

/** A backfill's key position in JSON: {@code "last_key": {"tenant_id": 7, "id": "b1f0…"}} (null before the first key). */
public final class BackfillJson {
    private static final List<String> INTEGERS = List.of("smallint", "integer", "bigint");

    private BackfillJson() {
    }

    /** Integer columns as numbers, every other type as its PostgreSQL text form (exact, e.g. uuid, timestamptz). */
    public static void putKey(ObjectNode into, String field, KeyPosition p) {
        if (p == null) {
            into.putNull(field);
            return;
        }
        ObjectNode k = into.putObject(field);
        for (int i = 0; i < p.columns().size(); i++) {
            String v = p.values().get(i);
            if (INTEGERS.contains(p.types().get(i))) {
                k.put(p.columns().get(i), Long.parseLong(v));
            } else {
                k.put(p.columns().get(i), v);
            }
        }
    }
}
