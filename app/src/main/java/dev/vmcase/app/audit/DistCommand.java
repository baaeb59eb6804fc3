package dev.vmcase.app.audit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vmcase audit dist --out FILE.tar.gz}: this vmcase packed for the hosts ({@link AuditDist}). */
@Command(name = "dist", resourceBundle = AuditTexts.BUNDLE, mixinStandardHelpOptions = true)
public final class DistCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE.tar.gz", descriptionKey = "dist.out")
    Path out;

    @Override
    public Integer call() throws Exception {
        long size = AuditDist.write(AuditDist.currentClassPath(), out);
        System.out.println(AuditTexts.text("dist.written", out.toAbsolutePath(), size >> 20));
        return 0;
    }
}
