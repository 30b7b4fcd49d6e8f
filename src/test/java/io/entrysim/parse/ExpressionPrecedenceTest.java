package io.entrysim.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Precedence, associativity and arithmetic of gas expressions. Every expected value was produced
 * by GNU as 2.40 (Debian binutils) on this machine: each expression was written as
 * {@code .quad EXPR} in a .data section, assembled with {@code as --64}, and the 8 bytes read back
 * with {@code objdump -s -j .data} (little-endian, shown signed). GasDifferentialTest repeats this
 * live for random expressions when as/objdump are installed.
 */
class ExpressionPrecedenceTest {
    private record Row(String expr, long gasValue) {}

    private static Row row(String expr, long gasValue) {
        return new Row(expr, gasValue);
    }

    // as 2.40: `.quad EXPR` -> objdump -s (values below are what it printed)
    private static final List<Row> ROWS = List.of(
            row("1 || 0 && 0", 1L),
            row("0 && 1 || 1", 1L),
            row("3 == 2 + 1", -1L),
            row("2 + 1 == 3", -1L),
            row("1 + 2 * 3", 7L),
            row("(1 + 2) * 3", 9L),
            row("6 & 3 + 1", 3L),
            row("2 + 6 & 3", 4L),
            row("1 << 2 | 1", 5L),
            row("1 | 1 << 2", 5L),
            row("6 | 1 & 3", 3L),
            row("6 ^ 3 | 1", 5L),
            row("5 ! 0", -1L),
            row("0 ! 1", -2L),
            row("!5", 0L),
            row("!0", 1L),
            row("!!7", 1L),
            row("-7 / 2", -3L),
            row("-7 % 2", -1L),
            row("4 % -3", 1L),
            row("-9 / -2", 4L),
            row("-8 >> 1", 9223372036854775804L),
            row("-1 < 0", -1L),
            row("-1 < 1", -1L),
            row("2 < 3 == 1", 0L),
            row("3 > 2 > 1", 0L),
            row("1 <> 2", -1L),
            row("1 != 1", 0L),
            row("2 >= 2", -1L),
            row("2 <= 1", 0L),
            row("1 && 2", 1L),
            row("0 || 3", 1L),
            row("0 || 0", 0L),
            row("~0 & 0xff", 255L),
            row("-~0", 1L),
            row("~-1", 0L),
            row("- - 3", 3L),
            row("5 - - 3", 8L),
            row("+4 * -2", -8L),
            row("'a", 97L),
            row("'a' + 1", 98L),
            row("'\\n", 10L),
            row("'\\\\", 92L),
            row("0b101", 5L),
            row("0B11", 3L),
            row("017", 15L),
            row("0x10 + 0X10", 32L),
            row("1 << 63", -9223372036854775808L),
            row("1 << 64", 0L),
            row("1 << -1", 0L),
            row("-1 >> 64", 0L),
            row("-1 >> 63", 1L),
            row("0x7fffffffffffffff + 1", -9223372036854775808L),
            row("0xffffffffffffffff * 2", -2L),
            row("18446744073709551615", -1L),
            row("1 - 1 == 0", -1L),
            row("1 == 1 + 1", 0L),
            row("8 / 2 / 2", 2L),
            row("2 * 3 % 4", 2L),
            row("100 - 10 - 1", 89L),
            row("1 + 2 < 4 && 3 > 2", 1L),
            row("(1 < 2) + (3 > 2)", -2L),
            row("7 & -8 | 3", 3L),
            row("1 + 4 >> 1", 3L),
            row("16 >> 2 + 1", 5L),
            // gas's scrubber deletes blanks between operator characters, and binary !! is xor
            // (same as run: `.quad EXPR`, as 2.40, objcopy -O binary, od -td8)
            row("1 < < 2", 4L),
            row("1 & & 2", 1L),
            row("4 > > 1", 2L),
            row("3 = = 3", -1L),
            row("1 ! = 2", -1L),
            row("5 !! 3", 6L),
            row("5 ! ! 3", 6L),
            row("6 !!3", 5L),
            row("!!5", 1L),
            row("1 < > 2", -1L),
            row("2 < = 2", -1L),
            row("0 | | 0", 0L),
            row("1 - - 1", 2L),
            // numbers wider than 64 bits: "bignum truncated to 8 bytes"
            row("0x1ffffffffffffffff", -1L),
            row("10000000000000000000000", 1864712049423024128L));

    @TestFactory
    Stream<DynamicTest> matchesGnuAs() {
        return ROWS.stream().map(r -> DynamicTest.dynamicTest(r.expr() + " = " + r.gasValue(),
                () -> assertEquals(r.gasValue(), Lines.value(r.expr()), r.expr())));
    }
}
