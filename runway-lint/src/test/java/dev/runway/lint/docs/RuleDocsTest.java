package dev.runway.lint.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lint.RuleId;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Every rule has its page in docs/rules, and the page matches what {@link RuleDocs} generates (run its main to update). */
class RuleDocsTest {
    @Test
    void everyRuleHasAnUpToDatePage() throws Exception {
        for (RuleId r : RuleId.values()) {
            assertThat(RuleDocs.OUT.resolve(r.id() + ".md")).as(r.id() + " page (run RuleDocs.main)").exists();
            assertThat(Files.readString(RuleDocs.OUT.resolve(r.id() + ".md"))).as(r.id() + " page is stale: run RuleDocs.main")
                    .isEqualTo(RuleDocs.page(r));
        }
    }
}
