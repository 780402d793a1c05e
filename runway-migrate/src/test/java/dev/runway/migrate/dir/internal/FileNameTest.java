package dev.runway.migrate.dir.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written name parser agrees with the documented patterns on every name we can think of. */
class FileNameTest {
    private static final Pattern FLYWAY = Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__(.+)\\.sql");
    private static final Pattern PAIRED = Pattern.compile("(\\d+(?:\\.\\d+)*)_(.+)\\.(up|down)\\.sql");
    private static final Pattern NATIVE = Pattern.compile("(\\d+(?:\\.\\d+)*)_(.+)\\.sql");
    private static final Pattern FOLDER = Pattern.compile("(\\d+(?:\\.\\d+)*)_(.+)");

    @Test
    void knownNames() {
        DirectoryListing.FileName f = DirectoryListing.FileName.flyway("V1_2__add_x.sql");
        assertEquals("1.2", f.version);
        assertEquals("add_x", f.description);
        f = DirectoryListing.FileName.flyway("U3__x.sql");
        assertEquals(false, f.up);
        f = DirectoryListing.FileName.paired("20250301120000_add.orders.down.sql");
        assertEquals("20250301120000", f.version);
        assertEquals("add.orders", f.description);
        assertEquals(false, f.up);
        f = DirectoryListing.FileName.nativeFile("1.2.3_x.up.sql");
        assertEquals("x.up", f.description);
        assertNull(DirectoryListing.FileName.nativeFile("1_.sql"));
        assertNull(DirectoryListing.FileName.nativeFile("_x.sql"));
        assertNull(DirectoryListing.FileName.nativeFile("1.x_y.sql"));
        assertNull(DirectoryListing.FileName.folder("1_"));
        assertNull(DirectoryListing.FileName.flyway("V1_x.sql"));
        assertNull(DirectoryListing.FileName.flyway("V__x.sql"));
        assertNull(DirectoryListing.FileName.nativeFile("١_x.sql")); // non-ASCII digit
    }

    @Test
    void agreesWithThePatternsOnRandomNames() {
        Random r = new Random(42);
        String alphabet = "0123456789._VUupdownsql_ \n";
        List<String> names = new ArrayList<>(List.of("V1__a.sql", "V1.2_3__a.sql", "1_a.up.sql", "1_.up.sql", "1_a.down.sql",
                "1..2_a.sql", "1._a.sql", "V1.__a.sql", "V1___a.sql", "1_a.sql.sql", "1_a.SQL", "12_x", "1.2_x", "1_\n.sql"));
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + r.nextInt(14);
            for (int k = 0; k < n; k++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            if (r.nextBoolean()) {
                b.append(r.nextBoolean() ? ".sql" : r.nextBoolean() ? ".up.sql" : ".down.sql");
            }
            names.add(b.toString());
        }
        for (String name : names) {
            check(name, FLYWAY, DirectoryListing.FileName.flyway(name), 2, 3, true);
            check(name, PAIRED, DirectoryListing.FileName.paired(name), 1, 2, false);
            check(name, NATIVE, DirectoryListing.FileName.nativeFile(name), 1, 2, false);
            check(name, FOLDER, DirectoryListing.FileName.folder(name), 1, 2, false);
        }
    }

    private static void check(String name, Pattern p, DirectoryListing.FileName f, int versionGroup, int descriptionGroup,
                              boolean flyway) {
        Matcher m = p.matcher(name);
        if (!m.matches()) {
            assertNull(f, () -> p + " does not match '" + name + "'");
            return;
        }
        String version = flyway ? m.group(versionGroup).replace('_', '.') : m.group(versionGroup);
        assertEquals(version, f == null ? null : f.version, () -> p + " on '" + name + "'");
        assertEquals(m.group(descriptionGroup), f.description, () -> p + " on '" + name + "'");
        if (flyway) {
            assertEquals(m.group(1).equals("V"), f.up, name);
        } else if (p == PAIRED) {
            assertEquals(m.group(3).equals("up"), f.up, name);
        }
    }
}
