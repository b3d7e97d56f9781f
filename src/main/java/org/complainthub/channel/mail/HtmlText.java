package org.complainthub.channel.mail;

import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

/**
 * Readable plain text from an HTML-only mail (CHANNEL_FORMATS C3, C7 E10). jsoup only parses the string: nothing is
 * fetched (tracking images stay unloaded) and nothing runs. Scripts, styles and the head are dropped; a link keeps
 * its text followed by its address in angle brackets when the address is http(s) or mailto and differs from the
 * text ({@code javascript:} and other schemes are dropped); images are dropped. Paragraph-like blocks are separated
 * by a blank line, other blocks (div, li, tr, br) by a line break; list items start with "- ".
 */
final class HtmlText {

    private static final Set<String> SKIP = Set.of("head", "script", "style", "noscript", "template", "title",
            "iframe", "object", "embed", "svg", "math", "img", "video", "audio", "canvas", "button", "select");
    private static final Set<String> PARAGRAPH = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
            "table", "blockquote", "pre", "hr", "dl", "form", "fieldset");
    private static final Set<String> LINE = Set.of("div", "li", "tr", "dt", "dd", "section", "article", "header",
            "footer", "address", "center", "caption", "main", "nav", "aside", "figure", "figcaption");

    private HtmlText() {
    }

    static String toText(String html) {
        Element body = Jsoup.parse(html).body();
        StringBuilder out = new StringBuilder();
        // iterative traversal: deeply nested HTML cannot overflow the stack
        body.filter(new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    out.append(t.getWholeText().replaceAll("\\s+", " "));
                    return FilterResult.CONTINUE;
                }
                if (!(node instanceof Element e)) {
                    return FilterResult.SKIP_ENTIRELY;   // comments, doctype
                }
                String tag = e.normalName();
                if (SKIP.contains(tag)) {
                    return FilterResult.SKIP_ENTIRELY;
                }
                if (tag.equals("br")) {
                    out.append('\n');
                } else if (PARAGRAPH.contains(tag)) {
                    out.append("\n\n");
                } else if (LINE.contains(tag)) {
                    out.append('\n');
                }
                if (tag.equals("li")) {
                    out.append("- ");
                }
                return FilterResult.CONTINUE;
            }

            @Override
            public FilterResult tail(Node node, int depth) {
                if (node instanceof Element e) {
                    String tag = e.normalName();
                    if (tag.equals("a")) {
                        String href = e.attr("href").strip();
                        String scheme = href.toLowerCase(Locale.ROOT);
                        boolean safe = scheme.startsWith("http://") || scheme.startsWith("https://")
                                || scheme.startsWith("mailto:");
                        if (safe && !href.equals(e.text().strip())) {
                            out.append(" <").append(href).append('>');
                        }
                    } else if (PARAGRAPH.contains(tag)) {
                        out.append("\n\n");
                    } else if (LINE.contains(tag)) {
                        out.append('\n');
                    }
                }
                return FilterResult.CONTINUE;
            }
        });
        return normalise(out);
    }

    private static String normalise(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        int blank = 0;
        for (String line : text.toString().split("\n", -1)) {
            String l = line.replace('\u00a0', ' ').replaceAll(" {2,}", " ").strip();
            if (l.isEmpty()) {
                blank++;
                continue;
            }
            if (out.length() > 0) {
                out.append(blank > 1 ? "\n\n" : "\n");
            }
            out.append(l);
            blank = 0;
        }
        return out.toString();
    }
}
