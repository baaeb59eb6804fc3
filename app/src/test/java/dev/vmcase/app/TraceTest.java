package dev.vmcase.app;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trace's times count from when the process started, found to within a clock tick. */
class TraceTest {
    @Test
    void theProcessStartedJustBeforeItsJvmDid() {
        long jvm = ManagementFactory.getRuntimeMXBean().getStartTime(); // the JVM's own start, in milliseconds
        long process = Trace.processStart();
        // the process exists before its JVM starts (a tick of 10 ms either way), and a forked JVM starts within a
        // fraction of a second of its exec: the boot time in whole seconds had put the start up to a second earlier,
        // the same in every run of a boot (0.52 s on the machine this test was written on)
        assertTrue(process <= jvm + 20, "process " + process + " after the JVM " + jvm);
        assertTrue(process >= jvm - 400, "process " + process + " long before the JVM " + jvm);
    }
}
