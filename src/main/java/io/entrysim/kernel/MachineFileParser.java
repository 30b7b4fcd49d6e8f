package io.entrysim.kernel;

import io.entrysim.assemble.AssemblerConfig;
import io.entrysim.cpu.Canonical;
import io.entrysim.cpu.Region;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.diag.SourcePos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the machine-description format (docs/machine-description.md): one statement per line,
 * whitespace-separated words, {@code #} to end of line is a comment.
 *
 * <pre>
 * machine NAME
 * symbol NAME VALUE
 * region NAME START SIZE user|kernel|both [x] [ro] [us|sv]
 * section PATTERN user|kernel|both [ro] [us|sv]
 * percpu-user SYMBOL [SIZE]
 * </pre>
 *
 * VALUE, START and SIZE are numbers (decimal, or 0x hex; a K, M or G suffix multiplies by
 * 2^10, 2^20, 2^30) or names defined by earlier {@code symbol} lines, joined by + and - with
 * no spaces. Errors are reported at file:line:col.
 */
final class MachineFileParser {
    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern NUMBER = Pattern.compile("(0[xX][0-9a-fA-F]+|[0-9]+)([KMG]?)");
    private static final Pattern TERM = Pattern.compile("[+-]?[^+-]+");

    private record Word(String text, int column) {}

    /** Largest {@code alias}: the run keeps one map entry per aliased 4 KiB page. */
    static final long MAX_ALIAS_SIZE = 64L << 20;

    private final String file;
    private String name;
    private final List<Region> regions = new ArrayList<>();
    private final List<MachineLayout.SectionRule> sections = new ArrayList<>();
    private final List<MachineLayout.UserMappedVariable> perCpu = new ArrayList<>();
    private final Map<String, Long> symbols = new LinkedHashMap<>();
    private final Map<String, Long> placements = new LinkedHashMap<>();
    private final List<MachineLayout.Alias> aliases = new ArrayList<>();
    private final Map<String, Long> tss = new LinkedHashMap<>();
    private final List<MachineLayout.IdtEntry> idt = new ArrayList<>();
    private final Map<String, Integer> definedAt = new HashMap<>();
    private int line;

    MachineFileParser(String file) {
        this.file = file;
    }

    MachineLayout parse(String text) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            line = i + 1;
            String body = lines[i];
            int hash = body.indexOf('#');
            if (hash >= 0) {
                body = body.substring(0, hash);
            }
            List<Word> words = new ArrayList<>();
            Matcher m = WORD.matcher(body);
            while (m.find()) {
                words.add(new Word(m.group(), m.start() + 1));
            }
            if (!words.isEmpty()) {
                statement(words);
            }
        }
        return new MachineLayout(name == null ? file : name, false, regions, sections, perCpu, symbols, placements,
            aliases, tss, idt);
    }

    private void statement(List<Word> w) {
        Word keyword = w.get(0);
        switch (keyword.text()) {
            case "machine" -> {
                expectCount(w, 2, 2, "machine NAME");
                if (name != null) {
                    throw error(keyword, "machine name given twice");
                }
                name = w.get(1).text();
            }
            case "symbol" -> {
                expectCount(w, 3, 3, "symbol NAME VALUE");
                String sym = name(w.get(1));
                define(w.get(1), "symbol " + sym);
                long v = value(w.get(2));
                if (sym.equals("percpu_base")) {
                    canonicalRange(w.get(2), "the per-CPU area", v, PerCpuLayout.AREA_SIZE);
                }
                symbols.put(sym, v);
            }
            case "region" -> region(w);
            case "section" -> section(w);
            case "place" -> {
                expectCount(w, 3, 3, "place SECTION ADDRESS");
                String section = w.get(1).text();
                if (placements.containsKey(section)) {
                    throw error(w.get(1), "section " + section + " placed twice");
                }
                long at = value(w.get(2));
                canonicalRange(w.get(2), "section " + section, at, AssemblerConfig.defaults(null).stride());
                placements.put(section, at);
            }
            case "alias" -> {
                expectCount(w, 5, 5, "alias NAME START SIZE TARGET");
                String aliasName = name(w.get(1));
                long start = value(w.get(2));
                long size = value(w.get(3));
                long target = value(w.get(4));
                if (((start | size | target) & 0xfff) != 0 || size <= 0) {
                    throw error(w.get(2), "alias " + aliasName + ": START, SIZE and TARGET must be whole 4 KiB pages");
                }
                if (size > MAX_ALIAS_SIZE) {
                    throw error(w.get(3), String.format("alias %s: SIZE 0x%x is more than the 0x%x (%d MiB) entrysim"
                            + " aliases", aliasName, size, MAX_ALIAS_SIZE, MAX_ALIAS_SIZE >> 20));
                }
                canonicalRange(w.get(2), "alias " + aliasName, start, size);
                canonicalRange(w.get(4), "alias " + aliasName + " target", target, size);
                aliases.add(new MachineLayout.Alias(aliasName, start, size, target));
            }
            case "tss" -> {
                expectCount(w, 3, 3, "tss base|sp0|sp1|sp2|ist1..ist7 VALUE");
                String field = w.get(1).text();
                if (!field.matches("base|sp[0-2]|ist[1-7]")) {
                    throw error(w.get(1), "unknown TSS field `" + field + "' (base, sp0..sp2, ist1..ist7)");
                }
                if (tss.containsKey(field)) {
                    throw error(w.get(1), "tss " + field + " given twice");
                }
                long v = value(w.get(2));
                if (field.equals("base")) {
                    canonicalRange(w.get(2), "the TSS", v, io.entrysim.cpu.Tss.SIZE);
                }
                tss.put(field, v);
            }
            case "idt" -> {
                expectCount(w, 3, 5, "idt VECTOR HANDLER [ist N]");
                long vector = value(w.get(1));
                if (vector < 0 || vector > 255) {
                    throw error(w.get(1), "IDT vector must be 0..255");
                }
                int ist = 0;
                if (w.size() > 3) {
                    if (w.size() != 5 || !w.get(3).text().equals("ist")) {
                        throw error(w.get(3), "expected `ist N'");
                    }
                    long n = value(w.get(4));
                    if (n < 0 || n > 7) {
                        throw error(w.get(4), "IST index must be 0..7");
                    }
                    ist = (int) n;
                }
                idt.add(new MachineLayout.IdtEntry((int) vector, name(w.get(2)), ist,
                        Origin.at(new SourcePos(file, line, w.get(2).column()))));
            }
            case "percpu-user" -> {
                expectCount(w, 2, 3, "percpu-user SYMBOL [SIZE]");
                String sym = name(w.get(1));
                define(w.get(1), "percpu-user " + sym);
                long size = w.size() == 3 ? value(w.get(2)) : 8;
                if (size <= 0 || size > PerCpuLayout.AREA_SIZE) {
                    throw error(w.get(2), String.format("size must be 1..0x%x (the per-CPU area), not 0x%x",
                            PerCpuLayout.AREA_SIZE, size));
                }
                perCpu.add(new MachineLayout.UserMappedVariable(sym, size));
            }
            default -> throw error(keyword, "unknown statement `" + keyword.text()
                + "' (expected machine, symbol, region, section, place, alias, tss, idt or percpu-user)");
        }
    }

    private void region(List<Word> w) {
        expectCount(w, 5, 8, "region NAME START SIZE user|kernel|both [x] [ro] [us|sv]");
        String regionName = name(w.get(1));
        define(w.get(1), "region " + regionName);
        long start = value(w.get(2));
        long size = value(w.get(3));
        if (size <= 0) {
            throw error(w.get(3), "region size must be positive");
        }
        long last = start + size - 1;
        if (Long.compareUnsigned(last, start) < 0) {
            throw error(w.get(3), "region " + regionName + " runs past the end of the address space");
        }
        if (!Canonical.isCanonical(start)) {
            throw error(w.get(2), "region " + regionName + " starts at non-canonical address 0x" + Long.toHexString(start));
        }
        if (!Canonical.isCanonical(last) || (start < 0) != (last < 0)) {
            throw error(w.get(3), "region " + regionName + " extends into the non-canonical hole (ends at 0x"
                + Long.toHexString(last) + ")");
        }
        boolean[] views = views(w.get(4));
        RegionFlags f = flags(w.subList(5, w.size()), true);
        boolean userPage = f.userPage != null ? f.userPage : Long.compareUnsigned(start, Canonical.LOWER_HALF_END) < 0;
        regions.add(new Region(regionName, start, size, views[0], views[1], f.executable, !f.readOnly, userPage));
    }

    private void section(List<Word> w) {
        expectCount(w, 3, 5, "section PATTERN user|kernel|both [ro] [us|sv]");
        String pattern = w.get(1).text();
        boolean[] views = views(w.get(2));
        RegionFlags f = flags(w.subList(3, w.size()), false);
        sections.add(new MachineLayout.SectionRule(pattern, views[0], views[1], !f.readOnly, f.userPage));
    }

    private static final class RegionFlags {
        boolean executable;
        boolean readOnly;
        Boolean userPage;
    }

    /** {@code size} bytes at {@code start} must lie inside one canonical half of the address space. */
    private void canonicalRange(Word w, String what, long start, long size) {
        long last = start + size - 1;
        if (!Canonical.isCanonical(start) || Long.compareUnsigned(last, start) < 0 || !Canonical.isCanonical(last)
                || (start < 0) != (last < 0)) {
            throw error(w, String.format("%s: 0x%x bytes at 0x%x do not lie inside one canonical half of the"
                    + " address space", what, size, start));
        }
    }

    private RegionFlags flags(List<Word> words, boolean allowExecutable) {
        RegionFlags f = new RegionFlags();
        for (Word w : words) {
            switch (w.text()) {
                case "x" -> {
                    if (!allowExecutable) {
                        throw error(w, "`x' does not apply to a section: code sections are executable, others are not");
                    }
                    f.executable = true;
                }
                case "ro" -> f.readOnly = true;
                case "us", "sv" -> {
                    if (f.userPage != null) {
                        throw error(w, "give one of us (user page) and sv (supervisor page)");
                    }
                    f.userPage = w.text().equals("us");
                }
                default -> throw error(w, "unknown flag `" + w.text() + "' (known: "
                    + (allowExecutable ? "x, " : "") + "ro, us, sv)");
            }
        }
        return f;
    }

    private boolean[] views(Word w) {
        return switch (w.text()) {
            case "user" -> new boolean[] {true, false};
            case "kernel" -> new boolean[] {false, true};
            case "both" -> new boolean[] {true, true};
            default -> throw error(w, "expected user, kernel or both (the page tables that map it), not `" + w.text() + "'");
        };
    }

    private long value(Word w) {
        String text = w.text();
        Matcher m = TERM.matcher(text);
        long total = 0;
        int at = 0;
        while (m.find()) {
            if (m.start() != at) {
                break;
            }
            String term = m.group();
            boolean minus = term.startsWith("-");
            if (term.startsWith("+") || minus) {
                term = term.substring(1);
            }
            Word part = new Word(term, w.column() + m.start() + (m.group().length() - term.length()));
            long v = term(part);
            total = minus ? total - v : total + v;
            at = m.end();
        }
        if (at != text.length() || text.endsWith("+") || text.endsWith("-")) {
            throw error(new Word(text, w.column() + Math.min(at, text.length() - 1)), "bad value `" + text + "'");
        }
        return total;
    }

    private long term(Word w) {
        Matcher num = NUMBER.matcher(w.text());
        if (num.matches()) {
            long v;
            try {
                String digits = num.group(1);
                v = digits.startsWith("0x") || digits.startsWith("0X")
                    ? Long.parseUnsignedLong(digits.substring(2), 16) : Long.parseUnsignedLong(digits);
            } catch (NumberFormatException e) {
                throw error(w, "number `" + w.text() + "' does not fit in 64 bits");
            }
            int shift = switch (num.group(2)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                default -> 0;
            };
            if (shift > 0 && Long.numberOfLeadingZeros(v) < shift) {
                throw error(w, "number `" + w.text() + "' does not fit in 64 bits");
            }
            return v << shift;
        }
        if (NAME.matcher(w.text()).matches()) {
            Long v = symbols.get(w.text());
            if (v == null) {
                throw error(w, "unknown name `" + w.text() + "' (define it with a symbol line before this one)");
            }
            return v;
        }
        throw error(w, "bad number or name `" + w.text() + "'");
    }

    private String name(Word w) {
        if (!NAME.matcher(w.text()).matches()) {
            throw error(w, "bad name `" + w.text() + "'");
        }
        return w.text();
    }

    private void define(Word w, String what) {
        Integer before = definedAt.putIfAbsent(what, line);
        if (before != null) {
            throw error(w, what + " already defined at line " + before);
        }
    }

    private void expectCount(List<Word> w, int min, int max, String usage) {
        if (w.size() < min) {
            Word last = w.get(w.size() - 1);
            throw error(new Word("", last.column() + last.text().length()), "too few words; usage: " + usage);
        }
        if (w.size() > max) {
            throw error(w.get(max), "unexpected `" + w.get(max).text() + "'; usage: " + usage);
        }
    }

    private AsmError error(Word w, String message) {
        return new AsmError(Origin.at(new SourcePos(file, line, w.column())), message);
    }
}
