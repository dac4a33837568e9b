package dev.taskq.notifier.domain;

import java.util.List;
import java.util.Map;

/**
 * A notification about something other than one task (a finished workflow, a failed schedule run), in a form every
 * channel renders the same way: a headline, the outcome, facts as name/value pairs, the failure reason and links.
 *
 * @param colour the Discord embed colour for the outcome
 * @param data what a webhook receives as {@code data}
 */
public record Notice(String headline, String outcome, List<Fact> facts, String reason, List<Link> links, int colour,
                     Map<String, Object> data) {

    /** One named fact, e.g. "Tasks" → "5 succeeded, 1 failed". */
    public record Fact(String name, String value) {}

    /** A link people follow, e.g. the workflow in the API or the dashboard. */
    public record Link(String label, String url) {}

    /** The link a message's title points at. */
    public String primaryLink() {
        return links.isEmpty() ? null : links.getFirst().url();
    }
}
