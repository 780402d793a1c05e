package dev.runway.lint.corpus;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Precision and recall, per rule (file, rule pairs) and per file ("unsafe" = any expected rule). */
final class Scores {
    final Map<String, int[]> perRule = new TreeMap<>(); // tp, fp, fn
    int tp;
    int fp;
    int fn;
    int tn;
    final Set<String> misses = new TreeSet<>();

    void add(String file, Set<String> expected, Set<String> actual) {
        boolean exp = !expected.isEmpty();
        boolean act = !actual.isEmpty();
        if (exp && act) {
            tp++;
        } else if (!exp && act) {
            fp++;
            misses.add("FP " + file + " " + actual);
        } else if (exp) {
            fn++;
            misses.add("FN " + file + " " + expected);
        } else {
            tn++;
        }
        for (String r : expected) {
            int[] c = perRule.computeIfAbsent(r, k -> new int[3]);
            if (actual.contains(r)) {
                c[0]++;
            } else {
                c[2]++;
                if (act) {
                    misses.add("rule FN " + file + " expected " + expected + " got " + actual);
                }
            }
        }
        for (String r : actual) {
            if (!expected.contains(r)) {
                perRule.computeIfAbsent(r, k -> new int[3])[1]++;
                if (exp) {
                    misses.add("rule FP " + file + " expected " + expected + " got " + actual);
                }
            }
        }
    }

    void addFileOnly(String file, boolean expectedUnsafe, boolean flagged) {
        if (expectedUnsafe && flagged) {
            tp++;
        } else if (!expectedUnsafe && flagged) {
            fp++;
            misses.add("FP " + file);
        } else if (expectedUnsafe) {
            fn++;
            misses.add("FN " + file);
        } else {
            tn++;
        }
    }

    double precision() {
        return tp + fp == 0 ? 1 : tp / (double) (tp + fp);
    }

    double recall() {
        return tp + fn == 0 ? 1 : tp / (double) (tp + fn);
    }

    static String f(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    String summary() {
        return "files: TP " + tp + " FP " + fp + " FN " + fn + " TN " + tn + " precision " + f(precision()) + " recall " + f(recall());
    }

    String ruleTable() {
        StringBuilder b = new StringBuilder("| rule | expected | found | false alarms | missed | precision | recall |\n|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, int[]> e : perRule.entrySet()) {
            int[] c = e.getValue();
            double p = c[0] + c[1] == 0 ? 1 : c[0] / (double) (c[0] + c[1]);
            double r = c[0] + c[2] == 0 ? 1 : c[0] / (double) (c[0] + c[2]);
            b.append("| ").append(e.getKey()).append(" | ").append(c[0] + c[2]).append(" | ").append(c[0]).append(" | ").append(c[1])
                    .append(" | ").append(c[2]).append(" | ").append(f(p)).append(" | ").append(f(r)).append(" |\n");
        }
        return b.toString();
    }
}
