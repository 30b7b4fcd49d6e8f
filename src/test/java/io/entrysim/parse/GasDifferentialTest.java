package io.entrysim.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test against the host GNU as: random expressions (fixed seed) are written as
 * {@code .quad} lines, assembled, and the bytes compared with {@link ExprEvaluator}. Skipped
 * visibly when as/objcopy are not installed.
 */
class GasDifferentialTest {
    private static final String[] BINARY = {
        "*", "/", "%", "<<", ">>", "|", "&", "^", "!", "+", "-",
        "==", "!=", "<>", "<", ">", "<=", ">=", "&&", "||", "!!"};
    private static final String[] UNARY = {"-", "~", "!", "+"};

    /** Absolute symbols defined in the assembled file and given to the resolver. */
    private static final Map<String, Long> SYMBOLS = new LinkedHashMap<>();

    static {
        SYMBOLS.put("alpha", 12345L);
        SYMBOLS.put("beta", -77L);
        SYMBOLS.put("big", Long.MAX_VALUE);
        SYMBOLS.put("s$1", 5L);
        SYMBOLS.put(".Lsmall", 3L);
    }

    private final Random rnd = new Random(0x5eed_2024L);

    @Test
    void randomExpressionsMatchGnuAs(@TempDir Path dir) throws Exception {
        HostGas.assumeTools("as", "objcopy");
        List<String> exprs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            exprs.add(expression(1 + rnd.nextInt(4)));
        }
        StringBuilder src = new StringBuilder();
        SYMBOLS.forEach((name, value) -> src.append(name).append(" = ").append(value).append('\n'));
        src.append(".data\n");
        exprs.forEach(e -> src.append(".quad ").append(e).append('\n'));
        Path s = dir.resolve("x.s");
        Files.writeString(s, src.toString(), StandardCharsets.ISO_8859_1);
        // Warnings (shift count out of range) are expected; errors are not.
        HostGas.run(dir, "as", "--64", "-o", "x.o", "x.s");
        HostGas.run(dir, "objcopy", "-O", "binary", "-j", ".data", "x.o", "x.bin");
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("x.bin"))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(8 * exprs.size(), data.remaining());
        MapResolver resolver = new MapResolver(SYMBOLS);
        for (String e : exprs) {
            long gas = data.getLong();
            assertEquals(gas, ExprEvaluator.eval(Lines.expr(e), resolver), () -> "as and entrysim differ on: " + e);
        }
    }

    private String expression(int depth) {
        if (depth == 0 || rnd.nextInt(4) == 0) {
            return primary();
        }
        return switch (rnd.nextInt(6)) {
            case 0 -> UNARY[rnd.nextInt(UNARY.length)] + sp() + expression(depth - 1);
            case 1 -> "(" + sp() + expression(depth - 1) + sp() + ")";
            default -> {
                String op = BINARY[rnd.nextInt(BINARY.length)];
                // A literal non-zero divisor: gas only warns on x/0, and crashes on MIN/-1.
                String right = op.equals("/") || op.equals("%") ? Integer.toString(2 + rnd.nextInt(1000))
                        : expression(depth - 1);
                if (op.length() == 2 && rnd.nextInt(5) == 0) {
                    op = op.charAt(0) + " " + op.charAt(1); // gas deletes blanks between operator chars
                }
                yield expression(depth - 1) + " " + op + " " + right;
            }
        };
    }

    private String primary() {
        return switch (rnd.nextInt(9)) {
            case 0 -> Integer.toString(rnd.nextInt(100));
            case 1 -> "0x" + Long.toHexString(rnd.nextLong());
            case 2 -> "0X" + Integer.toHexString(rnd.nextInt(1 << 16)).toUpperCase();
            case 3 -> "0b" + Integer.toBinaryString(rnd.nextInt(64));
            case 4 -> "0" + Integer.toOctalString(1 + rnd.nextInt(511));
            case 5 -> "'" + (char) ('a' + rnd.nextInt(26)) + " ";
            case 6 -> Integer.toString(rnd.nextInt(70)); // shift counts around 63/64
            default -> new ArrayList<>(SYMBOLS.keySet()).get(rnd.nextInt(SYMBOLS.size()));
        };
    }

    private String sp() {
        return rnd.nextBoolean() ? " " : "";
    }
}
