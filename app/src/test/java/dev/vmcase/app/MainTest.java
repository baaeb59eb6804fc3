package dev.vmcase.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command tree {@link Main#commandLine} builds for each kind of argument list. */
class MainTest {
    private static final List<String> ALL = List.of("analyze", "open", "report", "capture", "audit", "bench", "lab");

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertEquals(List.of("analyze"), List.copyOf(Main.commandLine("analyze", "x.log").getSubcommands().keySet()));
        CommandLine bench = Main.commandLine("bench", "ingest", "f").getSubcommands().get("bench");
        assertEquals(List.of("ingest", "bundle", "grow-log", "timeline", "hostile", "fleet", "window"),
                List.copyOf(bench.getSubcommands().keySet()));
    }

    @Test
    void noArgumentsAnOptionOrAMisspeltCommandBuildThemAll() {
        assertEquals(ALL, List.copyOf(Main.commandLine().getSubcommands().keySet()));
        assertEquals(ALL, List.copyOf(Main.commandLine("--help").getSubcommands().keySet()));
        CommandLine cl = Main.commandLine("anlyze", "x.log");
        assertEquals(ALL, List.copyOf(cl.getSubcommands().keySet()));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertNotEquals(0, cl.execute("anlyze", "x.log"));
        assertTrue(err.toString().contains("vmcase analyze"), err.toString()); // picocli's "Did you mean"
    }

    @Test
    void aSubcommandBuiltAloneKeepsItsOptionsAndTexts() {
        CommandLine alone = Main.commandLine("analyze").getSubcommands().get("analyze");
        CommandLine inTree = Main.commandLine().getSubcommands().get("analyze");
        assertEquals(inTree.getUsageMessage(), alone.getUsageMessage());
    }
}
