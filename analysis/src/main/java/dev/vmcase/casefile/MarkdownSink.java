package dev.vmcase.casefile;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/**
 * Markdown that reads the same in GitHub, GitLab and Jira's Markdown: evidence in fenced code (a fence longer than any
 * backtick run in it), every other piece of evidence text escaped, notes (the user's Markdown) quoted with raw HTML
 * made inert, images and links other than http(s) and mailto neutralised ({@link SafeText#inertNote}).
 */
final class MarkdownSink implements CaseReport.Sink {
    private final Writer out;
    private final Path imageStem;

    MarkdownSink(Writer out, Path imageStem) {
        this.out = out;
        this.imageStem = imageStem;
    }

    @Override
    public void title(String text) throws IOException {
        out.write("# " + SafeText.markdown(text) + "\n\n");
    }

    @Override
    public void heading(String text) throws IOException {
        out.write("## " + SafeText.markdown(text) + "\n\n");
    }

    @Override
    public void subheading(String text) throws IOException {
        out.write("### " + SafeText.markdown(text) + "\n\n");
    }

    @Override
    public void paragraph(String text) throws IOException {
        out.write(SafeText.markdown(text).replace("\n", "  \n") + "\n\n");
    }

    @Override
    public void evidence(List<String> lines) throws IOException {
        String body = SafeText.visibleLines(String.join("\n", lines));
        String fence = SafeText.fence(body);
        out.write(fence + "text\n" + body + "\n" + fence + "\n\n");
    }

    @Override
    public void table(List<String> header, List<List<String>> rows) throws IOException {
        out.write("| " + String.join(" | ", header.stream().map(MarkdownSink::cell).toList()) + " |\n");
        out.write("|" + "---|".repeat(header.size()) + "\n");
        for (List<String> row : rows) {
            out.write("| " + String.join(" | ", row.stream().map(MarkdownSink::cell).toList()) + " |\n");
        }
        out.write("\n");
    }

    private static String cell(String s) {
        String v = SafeText.markdown(s.replace('\n', ' ').replace('\r', ' '));
        return v.isEmpty() ? " " : v;
    }

    @Override
    public void note(String meta, String markdown) throws IOException {
        if (!meta.isEmpty()) {
            out.write("> **" + SafeText.markdown(meta) + "**\n>\n");
        }
        String inert = SafeText.inertNote(markdown);
        for (String line : inert.split("\n", -1)) {
            out.write(line.isEmpty() ? ">\n" : "> " + line + "\n");
        }
        out.write("\n");
    }

    @Override
    public void image(String alt, byte[] png, String fileStem) throws IOException {
        if (imageStem == null) {
            return;
        }
        Path folder = imageStem.resolveSibling(imageStem.getFileName() + "-images");
        Path f = folder.resolve(fileStem + ".png");
        AtomicFiles.writeShared(f, o -> o.write(png));
        // a relative link; spaces and parentheses would end a Markdown link, so they are percent-encoded
        String link = (folder.getFileName() + "/" + f.getFileName()).replace("%", "%25").replace(" ", "%20")
                .replace("(", "%28").replace(")", "%29");
        out.write("![" + SafeText.markdown(alt) + "](" + link + ")\n\n");
    }

    @Override
    public void end() throws IOException {
        out.flush();
    }
}
