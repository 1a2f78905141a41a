package io.mailplane.mailaccounts;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Sanitises user HTML (signatures, auto-replies): formatting, links, images and tables stay;
 * scripts, style sheets and inline styles, frames, forms, event handlers and {@code javascript:} URLs go.
 */
final class Html {
    private static final Safelist SAFE = Safelist.relaxed()
            .addAttributes(":all", "align", "dir")
            .addTags("font", "center", "hr")
            .addAttributes("font", "color", "face", "size");
    private static final Document.OutputSettings OUTPUT = new Document.OutputSettings().prettyPrint(false);

    private Html() {
    }

    static String sanitize(String html) {
        return html == null ? null : Jsoup.clean(html, "", SAFE, OUTPUT);
    }
}
