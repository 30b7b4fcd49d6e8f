package io.entrysim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The JUnit API as a user writes it, over the project's samples; and what its tests do. */
class SpecTestsTest {
    @TempDir
    Path dir;

    /** The README's example: every sample's every configuration, as a dynamic test. */
    @TestFactory
    Stream<DynamicNode> samples() {
        return SpecTests.under(Path.of("asm-samples"));
    }

    @Test
    void oneContainerPerFileOneTestPerConfigurationFailingAndSkippingAsEntrysimTestDoes() throws Throwable {
        Files.writeString(dir.resolve("a.S"), "# ENTRYSIM-RUN[t]: --set rax={1,2}\n# ENTRYSIM-EXPECT: rax == 1\n\t.text\n\thlt\n");
        Files.writeString(dir.resolve("b.S"), "# ENTRYSIM-RUN: -I no-such-dir\n\t.text\n\thlt\n");
        List<DynamicNode> files = SpecTests.under(dir).toList();
        assertEquals(List.of("" + dir.resolve("a.S"), "" + dir.resolve("b.S")), files.stream().map(DynamicNode::getDisplayName).toList());
        List<DynamicTest> a = ((DynamicContainer) files.get(0)).getChildren().map(DynamicTest.class::cast).toList();
        assertEquals(List.of("[t]: --set rax=1", "[t]: --set rax=2"), a.stream().map(DynamicNode::getDisplayName).toList());
        a.get(0).getExecutable().execute();
        AssertionFailedError fail = assertThrows(AssertionFailedError.class, () -> a.get(1).getExecutable().execute());
        assertTrue(fail.getMessage().contains("actual:   rax is 0x2"), fail.getMessage());
        DynamicTest b = ((DynamicContainer) files.get(1)).getChildren().map(DynamicTest.class::cast).findFirst().orElseThrow();
        assertThrows(TestAbortedException.class, () -> b.getExecutable().execute());
    }
}
