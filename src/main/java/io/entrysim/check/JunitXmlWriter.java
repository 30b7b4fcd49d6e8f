package io.entrysim.check;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * Results as the JUnit XML that Maven Surefire writes and CI servers read (the shape of
 * Surefire's {@code surefire-test-report-3.0.xsd}): one {@code <testsuite name tests errors
 * skipped failures time>} holding one {@code <testcase name classname time>} per test, with a
 * {@code <failure message type>} carrying the diagnostic, or a {@code <skipped message>}. Times
 * are seconds with at most three decimals, as that schema's time pattern wants. The classname
 * is the spec file, so CI groups a file's configurations together.
 */
public final class JunitXmlWriter {
    private JunitXmlWriter() {}

    public static void write(Writer out, List<TestResult> results, String suiteName) throws IOException {
        long failed = results.stream().filter(r -> r.status() == TestResult.Status.FAIL).count();
        long skipped = results.stream().filter(r -> r.status() == TestResult.Status.SKIP).count();
        long nanos = results.stream().mapToLong(TestResult::nanos).sum();
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.write("<testsuite name=\"" + attr(suiteName) + "\" tests=\"" + results.size() + "\" errors=\"0\" skipped=\""
                + skipped + "\" failures=\"" + failed + "\" time=\"" + seconds(nanos) + "\">\n");
        for (TestResult r : results) {
            out.write("  <testcase name=\"" + attr(r.name()) + "\" classname=\"" + attr(r.file()) + "\" time=\""
                    + seconds(r.nanos()) + "\"");
            switch (r.status()) {
                case PASS -> out.write("/>\n");
                case SKIP -> out.write(">\n    <skipped message=\"" + attr(String.join("; ", r.diagnostic())) + "\"/>\n  </testcase>\n");
                case FAIL -> {
                    String first = r.diagnostic().isEmpty() ? "failed" : r.diagnostic().get(0);
                    out.write(">\n    <failure message=\"" + attr(first) + "\" type=\"entrysim.SpecFailure\">"
                            + text(String.join("\n", r.diagnostic())) + "</failure>\n  </testcase>\n");
                }
            }
        }
        out.write("</testsuite>\n");
        out.flush();
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    private static String text(String s) {
        return clean(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
    }

    /** Characters XML 1.0 cannot hold at all (control characters but tab, newline, return) become '?'. */
    private static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xfffe || c == 0xffff ? '?' : c);
        }
        return sb.toString();
    }
}
