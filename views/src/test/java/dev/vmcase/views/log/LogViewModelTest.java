package dev.vmcase.views.log;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.ingest.IngestOptions;
import dev.vmcase.parsers.lines.ArtifactFiles;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import dev.vmcase.views.UiExecutors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log viewer's state on a real libvirtd debug log, without a toolkit: every read of the file off the caller. */
class LogViewModelTest {
    static final Path CASE = Path.of("../sample-cases/libvirt-pending-unplug/evidence");
    static AnalysisResult result;
    @TempDir
    Path cache;

    @BeforeAll
    static void analyse() {
        result = Analysis.of(List.of(CASE), ProgressMonitor.NONE);
    }

    static Artifact libvirtd() {
        return result.evidence().artifacts().stream().filter(a -> a.path().endsWith("libvirtd.log")).findFirst()
                .orElseThrow();
    }

    /** Background work queued until {@link #drain()}: what runs before it did not read the file. */
    static final class Queued implements UiExecutors {
        final Deque<Runnable> queue = new ArrayDeque<>();

        @Override
        public Executor background() {
            return queue::add;
        }

        @Override
        public Executor fx() {
            return Runnable::run;
        }

        void drain() {
            while (!queue.isEmpty()) {
                queue.poll().run();
            }
        }
    }

    private LogViewModel direct(Selection s) {
        return new LogViewModel(s, new LogFiles(new ArtifactFiles(cache, IngestOptions.DEFAULTS)), UiExecutors.direct(),
                UiExecutors.direct());
    }

    @Test
    void aSelectedLineOpensItsFileAndLandsInTheWindowWithItsEvent() {
        Selection s = new Selection();
        LogViewModel vm = direct(s);
        vm.show(result);
        vm.setRows(20);
        s.lineProperty().set(new LineRef(libvirtd().sha256(), 3894));
        assertEquals(libvirtd(), vm.artifactProperty().get());
        assertTrue(vm.lineCount() > 3894);
        LogViewModel.Window w = vm.windowProperty().get();
        assertTrue(Arrays.stream(w.lines()).anyMatch(l -> l == 3894), Arrays.toString(w.lines()));
        assertTrue(w.size() <= 20 && w.size() > 0);
        assertTrue(vm.selectedEvent().contains(3894));
        int at = Arrays.binarySearch(w.lines(), 3894);
        assertTrue(w.texts().get(at).contains("device_del"), w.texts().get(at));
    }

    @Test
    void nothingIsReadUntilTheBackgroundRuns() {
        Selection s = new Selection();
        Queued work = new Queued();
        Queued reads = new Queued();
        LogViewModel vm = new LogViewModel(s, new LogFiles(new ArtifactFiles(cache, IngestOptions.DEFAULTS)), work,
                reads);
        vm.show(result);
        s.lineProperty().set(new LineRef(libvirtd().sha256(), 3894));
        assertEquals(0, vm.lineCount(), "the file is indexed in the background, not by the call");
        assertEquals(0, vm.windowProperty().get().size());
        work.drain();
        assertTrue(vm.lineCount() > 0);
        assertEquals(0, vm.windowProperty().get().size(), "the window's lines are read in the background too");
        reads.drain();
        assertTrue(Arrays.stream(vm.windowProperty().get().lines()).anyMatch(l -> l == 3894));
        // a fast scroll queues one read per step, and only the newest is read
        for (int i = 1; i <= 5; i++) {
            vm.scrollTo(100 * i);
        }
        reads.drain();
        assertEquals(501, vm.windowProperty().get().lines()[0]);
    }

    @Test
    void theLayerNarrowsTheChooserAndTheLevelFilterKeepsErrorEvents() {
        Selection s = new Selection();
        LogViewModel vm = direct(s);
        vm.show(result);
        int all = vm.chooser().size();
        vm.layerProperty().set("libvirt");
        assertTrue(vm.chooser().size() < all && !vm.chooser().isEmpty());
        assertTrue(vm.chooser().stream().allMatch(a -> LogViewModel.layerOf(a).equals("libvirt")));
        vm.open(libvirtd());
        int lines = vm.shownLineCount();
        vm.levelProperty().set(Timeline.ERROR);
        assertTrue(vm.shownLineCount() > 0 && vm.shownLineCount() < lines);
        vm.levelProperty().set(Timeline.DEBUG);
        assertEquals(lines, vm.shownLineCount());
    }

    @Test
    void searchMovesFromMatchToMatchAndCountsThem() {
        Selection s = new Selection();
        LogViewModel vm = direct(s);
        vm.show(result);
        vm.open(libvirtd());
        vm.searchTextProperty().set("\"execute\":\"device_del\"");
        vm.search(true);
        assertEquals(3894, vm.searchLine());
        vm.search(true);
        assertEquals(3896, vm.searchLine());
        assertTrue(vm.searchCountProperty().get().startsWith("2 "), vm.searchCountProperty().get());
        vm.search(false);
        assertEquals(3894, vm.searchLine());
        vm.regexProperty().set(true);
        vm.searchTextProperty().set("device_del\"[^}]*virtio-disk(");
        assertNull(vm.searchPattern(), "a regex that does not compile searches nothing");
    }

    @Test
    void anyLineOfTheEvidenceIsReadForTheTimelinesHover() {
        Selection s = new Selection();
        LogViewModel vm = direct(s);
        vm.show(result);
        String[] text = new String[1];
        vm.lineLookup(UiExecutors.direct()).text(libvirtd().sha256(), 3894, t -> text[0] = t);
        assertNotNull(text[0]);
        assertTrue(text[0].contains("device_del"), text[0]);
        vm.lineLookup(UiExecutors.direct()).text("0".repeat(64), 1, t -> text[0] = t);
        assertNull(text[0], "a line of no artifact of the evidence: no text");
    }

    @Test
    void aPreviewShowsTheBiggestFileBeforeTheAnalysisWhichTakesItOverInPlace() throws Exception {
        Selection s = new Selection();
        LogFiles files = new LogFiles(new ArtifactFiles(cache, IngestOptions.DEFAULTS));
        LogViewModel vm = new LogViewModel(s, files, UiExecutors.direct(), UiExecutors.direct());
        List<Integer> counts = new java.util.ArrayList<>();
        vm.windowProperty().addListener((o, was, w) -> {
            if (w.size() > 0) {
                counts.add(vm.lineCount());
            }
        });
        vm.setRows(20);
        java.util.concurrent.CompletableFuture<Void> shown = vm.preview(List.of(CASE));
        assertTrue(shown.isDone());
        Artifact stand = vm.artifactProperty().get();
        assertTrue(stand.path().endsWith("libvirtd.log"), "the folder's biggest file: " + stand.path());
        List<String> first = java.nio.file.Files.readAllLines(CASE.resolve("libvirtd.log"));
        assertTrue(counts.get(0) < first.size(), "the first lines were on screen before the whole was indexed: "
                + counts);
        assertEquals(first.size(), vm.lineCount());
        assertEquals(first.get(0), vm.windowProperty().get().texts().get(0));
        vm.scrollTo(500);
        var indexed = files.cached(libvirtd());
        assertNotNull(indexed, "the preview's index is the artifact's: known by the file, not its hash");

        vm.show(result);
        assertEquals(libvirtd(), vm.artifactProperty().get(), "the analysis' artifact of the same file takes over");
        assertEquals(500, vm.top(), "where the user scrolled to");
        assertEquals(501, vm.windowProperty().get().lines()[0]);
        assertTrue(indexed == files.cached(libvirtd()), "not indexed again");
        s.lineProperty().set(new LineRef(libvirtd().sha256(), 3894));
        assertTrue(Arrays.stream(vm.windowProperty().get().lines()).anyMatch(l -> l == 3894));
    }

    @Test
    void aPreviewOfNothingReadableShowsNothingAndIsDone() {
        LogViewModel vm = direct(new Selection());
        assertTrue(vm.preview(List.of(cache.resolve("missing.log"))).isDone());
        assertNull(vm.artifactProperty().get());
        assertEquals(0, vm.windowProperty().get().size());
        vm.show(result);
        assertNotNull(vm.artifactProperty().get(), "the analysis still opens its first file");
    }

    @Test
    void thePreviewPassesOverBinaryArchivedAndCompressedFiles() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(cache.resolve("case"));
        byte[] core = new byte[200_000]; // a core dump's NUL bytes: bigger than the log, never shown as lines
        core[0] = 0x7f;
        java.nio.file.Files.write(dir.resolve("core.1234"), core);
        try (var gz = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(dir.resolve("old.log.gz")))) {
            gz.write(new byte[300_000]);
        }
        Path log = java.nio.file.Files.copy(CASE.resolve("instance-0000002a.log"), dir.resolve("b.log"));
        assertEquals(log.toAbsolutePath().normalize(), LogViewModel.biggestText(List.of(dir)));
        assertNull(LogViewModel.biggestText(List.of(dir.resolve("core.1234"))));
    }
}
