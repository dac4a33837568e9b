package dev.taskq.notifier.channel;

/** Short quotes of receivers' answers for error texts. */
final class Bodies {

    private static final int MAX = 300;

    private Bodies() {}

    static String head(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() <= MAX ? flat : flat.substring(0, MAX) + "…";
    }
}
