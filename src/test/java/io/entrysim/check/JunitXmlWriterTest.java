package io.entrysim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The JUnit XML, checked against the structure of Maven Surefire's report schema
 * (surefire-test-report-3.0.xsd, apache/maven-surefire: maven-surefire-plugin/src/site/resources/xsd):
 * root {@code testsuite} with required {@code name tests errors skipped failures}; children
 * {@code properties*} then {@code testcase*}; a testcase has required {@code name time}, optional
 * {@code classname group}, and children in the order failure*, rerunFailure*, flakyFailure*,
 * skipped?, error?, rerunError*, flakyError*, system-out?, system-err?; failure and error need
 * {@code type}; times match the schema's SUREFIRE_TIME pattern. The rules are restated here
 * (the schema is not copied into the project).
 */
class JunitXmlWriterTest {
    /** SUREFIRE_TIME, as the schema writes it. */
    static final Pattern TIME = Pattern.compile("(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\\.[0-9]{0,3})?");
    static final List<String> CASE_CHILDREN = List.of("failure", "rerunFailure", "flakyFailure", "skipped", "error",
            "rerunError", "flakyError", "system-out", "system-err");
    static final Set<String> AT_MOST_ONCE = Set.of("skipped", "error", "system-out", "system-err");
    static final Map<String, Set<String>> ATTRIBUTES = Map.of(
            "testsuite", Set.of("version", "name", "time", "tests", "errors", "skipped", "failures", "group"),
            "testcase", Set.of("name", "classname", "group", "time"),
            "failure", Set.of("message", "type"),
            "skipped", Set.of("message"),
            "error", Set.of("message", "type"));

    static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every violation of the schema's structure, empty when the document conforms. */
    static List<String> violations(Document doc) {
        List<String> out = new ArrayList<>();
        Element suite = doc.getDocumentElement();
        if (!suite.getTagName().equals("testsuite")) {
            out.add("root is " + suite.getTagName());
            return out;
        }
        attributes(suite, Set.of("name", "tests", "errors", "skipped", "failures"), out);
        if (suite.hasAttribute("time") && !TIME.matcher(suite.getAttribute("time")).matches()) {
            out.add("testsuite time " + suite.getAttribute("time"));
        }
        boolean casesBegun = false;
        for (Element child : children(suite)) {
            switch (child.getTagName()) {
                case "properties" -> {
                    if (casesBegun) {
                        out.add("properties after a testcase");
                    }
                }
                case "testcase" -> {
                    casesBegun = true;
                    testcase(child, out);
                }
                default -> out.add("unexpected <" + child.getTagName() + "> in testsuite");
            }
        }
        return out;
    }

    private static void testcase(Element tc, List<String> out) {
        attributes(tc, Set.of("name", "time"), out);
        if (!TIME.matcher(tc.getAttribute("time")).matches()) {
            out.add("testcase time " + tc.getAttribute("time"));
        }
        int last = -1;
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (Element c : children(tc)) {
            int at = CASE_CHILDREN.indexOf(c.getTagName());
            if (at < 0) {
                out.add("unexpected <" + c.getTagName() + "> in testcase");
                continue;
            }
            if (at < last) {
                out.add("<" + c.getTagName() + "> out of order in testcase");
            }
            last = at;
            if (seen.merge(c.getTagName(), 1, Integer::sum) > 1 && AT_MOST_ONCE.contains(c.getTagName())) {
                out.add("more than one <" + c.getTagName() + ">");
            }
            if (c.getTagName().equals("failure") || c.getTagName().equals("error")) {
                attributes(c, Set.of("type"), out);
            } else if (ATTRIBUTES.containsKey(c.getTagName())) {
                attributes(c, Set.of(), out);
            }
        }
    }

    private static void attributes(Element e, Set<String> required, List<String> out) {
        for (String r : required) {
            if (!e.hasAttribute(r)) {
                out.add("<" + e.getTagName() + "> lacks " + r);
            }
        }
        for (int i = 0; i < e.getAttributes().getLength(); i++) {
            String name = e.getAttributes().item(i).getNodeName();
            if (!ATTRIBUTES.get(e.getTagName()).contains(name)) {
                out.add("<" + e.getTagName() + "> has unknown attribute " + name);
            }
        }
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                out.add((Element) n);
            }
        }
        return out;
    }

    static String xml(List<TestResult> results) throws Exception {
        StringWriter w = new StringWriter();
        JunitXmlWriter.write(w, results, "entrysim test a.S");
        return w.toString();
    }

    @Test
    void conformsToTheSurefireSchemaAndCarriesTheResults() throws Exception {
        List<TestResult> results = new ArrayList<>(KtapWriterTest.MIXED);
        results.add(new TestResult("c.S", "c.S: <&\"'> \u0001", TestResult.Status.FAIL, List.of("x < y & \"z\"", "\u0007bell"),
                1_234_567_890_123L));
        Document doc = parse(xml(results));
        assertEquals(List.of(), violations(doc));
        Element suite = doc.getDocumentElement();
        assertEquals("4", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("skipped"));
        assertEquals("0", suite.getAttribute("errors"));
        List<Element> cases = children(suite);
        assertEquals("a.S: --feature PTI", cases.get(0).getAttribute("name"));
        assertEquals("a.S", cases.get(0).getAttribute("classname"));
        Element failure = children(cases.get(1)).get(0);
        assertEquals("failure", failure.getTagName());
        assertEquals("a.S:3: ENTRYSIM-EXPECT: rax == 1", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("actual:   rax is 0x0"));
        assertEquals("skipped", children(cases.get(2)).get(0).getTagName());
        assertEquals("c.S: <&\"'> ?", cases.get(3).getAttribute("name"), "escaped; a control character replaced");
        assertEquals("1234.568", cases.get(3).getAttribute("time"));
    }

    @Test
    void theCheckerCatchesWhatTheSchemaForbids() throws Exception {
        assertTrue(!violations(parse("<testsuites/>")).isEmpty());
        assertTrue(!violations(parse("<testsuite name='x' tests='1' errors='0' skipped='0'/>")).isEmpty(), "no failures attribute");
        assertTrue(!violations(parse("<testsuite name='x' tests='1' errors='0' skipped='0' failures='0'>"
                + "<testcase name='a' time='1.5e3'/></testsuite>")).isEmpty(), "time pattern");
        assertTrue(!violations(parse("<testsuite name='x' tests='1' errors='0' skipped='0' failures='0'>"
                + "<testcase name='a' time='1'><skipped/><failure type='t'/></testcase></testsuite>")).isEmpty(), "order");
        assertTrue(!violations(parse("<testsuite name='x' tests='1' errors='0' skipped='0' failures='0'>"
                + "<testcase name='a' time='1'><failure/></testcase></testsuite>")).isEmpty(), "failure type");
    }
}
