package dev.taskq.cli.command;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads a timeout as seconds: a plain number of seconds, or with units such as 90s, 10m, 2h or 1h30m. */
final class DurationSeconds implements CommandLine.ITypeConverter<Integer> {

    private static final Pattern WITH_UNITS = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    @Override
    public Integer convert(String value) {
        String text = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (text.matches("\\d+")) {
            return parse(text, value);
        }
        Matcher units = WITH_UNITS.matcher(text);
        if (text.isEmpty() || !units.matches()) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration: give seconds (600) or units (90s, 10m, 2h, 1h30m)");
        }
        long seconds = part(units.group(1), value) * 3600L + part(units.group(2), value) * 60L + part(units.group(3), value);
        if (seconds > Integer.MAX_VALUE) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too long");
        }
        return (int) seconds;
    }

    private static long part(String digits, String value) {
        return digits == null ? 0 : parse(digits, value);
    }

    private static int parse(String digits, String value) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too long");
        }
    }
}
