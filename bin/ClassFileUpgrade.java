import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Package-time step (run by {@code bin/start-archive} with OW2 ASM on the class path): rewrites the
 * jar's pre-Java-6 class files (picocli is compiled for Java 5, class-file version 49) as Java 8
 * class files with computed stack-map frames. The JVM's class-data sharing (AppCDS, the AOT cache)
 * refuses to archive version-49 classes, so without this picocli is loaded and verified from the
 * jar on every start. The bytecode itself is unchanged.
 *
 * <p>Usage: {@code java -cp asm.jar bin/ClassFileUpgrade.java JAR}; rewrites JAR in place.
 */
public final class ClassFileUpgrade {
    private static final int JAVA_6 = 50;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ClassFileUpgrade JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Path out = jar.resolveSibling(jar.getFileName() + ".upgrading");
        int upgraded = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
                URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                if (entry.getName().endsWith(".class") && majorVersion(bytes) < JAVA_6) {
                    bytes = upgrade(bytes, classes, entry.getName());
                    upgraded++;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                zip.putNextEntry(copy);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("ClassFileUpgrade: " + upgraded + " class files raised to Java 8 in " + jar.getFileName());
    }

    private static int majorVersion(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static byte[] upgrade(byte[] bytes, ClassLoader jarClasses, String name) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            // Frame merging needs the common superclass of two types: look them up in the jar
            // itself (then the JDK), without initializing anything.
            @Override
            protected ClassLoader getClassLoader() {
                return jarClasses;
            }
        };
        ClassVisitor retarget = new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String n, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, n, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String m, String desc, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, m, desc, signature, exceptions)) {
                    @Override
                    public void visitJumpInsn(int opcode, org.objectweb.asm.Label label) {
                        // jsr/ret subroutines are illegal from Java 7 on; javac has not emitted them since 1.6
                        if (opcode == Opcodes.JSR) {
                            throw new IllegalStateException(name + "." + m + " uses jsr: cannot raise its version");
                        }
                        super.visitJumpInsn(opcode, label);
                    }
                };
            }
        };
        reader.accept(retarget, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    private ClassFileUpgrade() {}
}
