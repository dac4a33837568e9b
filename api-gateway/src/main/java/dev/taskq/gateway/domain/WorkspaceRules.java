package dev.taskq.gateway.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a task's session may work: a working directory under an allowed root, or a git repository (URL and ref) the
 * worker clones. Each check answers why a value is refused, or nothing; SubmissionRules names the field.
 */
public final class WorkspaceRules {

    /** The longest repo.url accepted. */
    static final int MAX_URL_CHARS = 2000;
    /** The longest repo.ref accepted: the column holds 255. */
    static final int MAX_REF_CHARS = 255;
    /** Characters git refuses in a ref name (git check-ref-format), besides control characters. */
    private static final String REF_FORBIDDEN = " ~^:?*[\\";
    /**
     * git's scp-like syntax, [user@]host:path. The host starts with a letter or digit, so it can never be read as an
     * ssh option ("-oProxyCommand=…"); a path starting with ':' would be git's {@code <transport>::<address>} form
     * (ext:: runs commands), and one starting with '-' an option of the remote command, so neither is scp-like.
     */
    private static final Pattern SCP_LIKE = Pattern.compile("(?:[A-Za-z0-9._~-]+@)?[A-Za-z0-9][A-Za-z0-9.-]*:(?![:-]).+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");

    private WorkspaceRules() {}

    /** The configured roots as normalised absolute paths; throws at startup when one is not absolute. */
    public static List<Path> roots(List<String> configured) {
        return configured.stream()
                .map(String::strip)
                .filter(root -> !root.isEmpty())
                .map(root -> {
                    Path path = Path.of(root).normalize();
                    if (!path.isAbsolute()) {
                        throw new IllegalStateException("taskq.api.workspaces.allowed-roots must list absolute directories, got '"
                                + root + "'");
                    }
                    return path;
                })
                .distinct()
                .toList();
    }

    /** Why a working directory is unsafe for a worker to cd into, or outside every allowed root, if it is. */
    public static Optional<String> workingDirError(String path, List<Path> roots) {
        if (path.indexOf('\0') >= 0) {
            return Optional.of("must not contain a NUL character");
        }
        if (!path.startsWith("/")) {
            return Optional.of("must be an absolute path (starting with /), got '" + abbreviate(path) + "'");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return Optional.of("must not contain '..' segments, got '" + abbreviate(path) + "'");
            }
        }
        Path normalized;
        try {
            normalized = Path.of(path).normalize();
        } catch (InvalidPathException e) {
            return Optional.of("is not a usable path: " + e.getReason());
        }
        // Path.startsWith compares whole names: /tmp2/x does not start with /tmp.
        if (roots.stream().noneMatch(normalized::startsWith)) {
            return Optional.of("must be one of the allowed roots or lie below one ("
                    + roots.stream().map(Path::toString).collect(Collectors.joining(", ")) + "), got '" + abbreviate(path) + "'");
        }
        return Optional.empty();
    }

    /**
     * Why a repository URL is refused, if it is: https:// and ssh:// URLs and scp-like user@host:path are accepted;
     * file:// URLs and absolute local paths only with {@code allowLocal}. Anything else (http://, git://, ext::, a
     * relative path) is refused, as are credentials in an https URL, which would be stored and shown with the task.
     */
    public static Optional<String> repoUrlError(String url, boolean allowLocal) {
        if (url.isBlank()) {
            return Optional.of("is required: the repository to clone, an https:// or ssh:// URL or user@host:path");
        }
        if (url.length() > MAX_URL_CHARS) {
            return Optional.of("must be at most " + MAX_URL_CHARS + " characters, got " + url.length());
        }
        if (url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("must not contain spaces or control characters");
        }
        if (url.startsWith("-")) {
            return Optional.of("must not start with '-'");
        }
        String local = allowLocal ? "" : "; a file:// URL or local path is accepted only with "
                + "taskq.api.workspaces.allow-local-repos=true";
        if (url.startsWith("/")) {
            return allowLocal ? localPathError(url) : Optional.of("must be a remote repository (https://, ssh:// or user@host:path)"
                    + local + ", got '" + abbreviate(url) + "'");
        }
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return SCP_LIKE.matcher(url).matches() ? Optional.empty()
                    : Optional.of("must be an https:// or ssh:// URL or scp-like user@host:path, got '" + abbreviate(url) + "'");
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL: " + e.getReason());
        }
        return switch (scheme) {
            case "https", "ssh" -> remoteUrlError(uri, scheme);
            case "file" -> allowLocal ? fileUrlError(uri) : Optional.of("must be a remote repository" + local);
            default -> Optional.of("must be an https:// or ssh:// URL or scp-like user@host:path, got scheme '"
                    + abbreviate(scheme) + "'");
        };
    }

    private static Optional<String> remoteUrlError(URI uri, String scheme) {
        if (uri.getHost() == null || !HOST.matcher(uri.getHost()).matches()) {
            return Optional.of("must name a host (letters, digits, '.' and '-', starting with a letter or digit)");
        }
        if (uri.getRawUserInfo() != null && (scheme.equals("https") || uri.getRawUserInfo().contains(":"))) {
            return Optional.of("must not carry credentials; give the workers access to the repository instead");
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")) {
            return Optional.of("must name the repository's path, e.g. https://github.com/acme/app.git");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of("must not have a query or fragment");
        }
        return Optional.empty();
    }

    private static Optional<String> fileUrlError(URI uri) {
        if (uri.getHost() != null || uri.getPath() == null) {
            return Optional.of("must be file:///<absolute path>, without a host");
        }
        return localPathError(uri.getPath());
    }

    private static Optional<String> localPathError(String path) {
        if (!path.startsWith("/") || path.equals("/")) {
            return Optional.of("must name a repository by its absolute path");
        }
        return Optional.empty();
    }

    /**
     * Why a ref (branch, tag or commit) is not a valid git ref name, if it is not: git check-ref-format's rules, with
     * one-level names allowed (main), and no leading '-', which git would take for an option.
     */
    public static Optional<String> gitRefError(String ref) {
        if (ref.isEmpty() || ref.length() > MAX_REF_CHARS) {
            return Optional.of("must be 1 to " + MAX_REF_CHARS + " characters, got " + ref.length());
        }
        String problem = refProblem(ref);
        return problem == null ? Optional.empty()
                : Optional.of("must be a valid git ref name (a branch, tag or commit): " + problem + ", got '" + abbreviate(ref) + "'");
    }

    private static String refProblem(String ref) {
        if (ref.startsWith("-")) {
            return "it must not start with '-'";
        }
        if (ref.equals("@")) {
            return "it must not be '@' alone";
        }
        for (int i = 0; i < ref.length(); i++) {
            char c = ref.charAt(i);
            if (c < 0x20 || c == 0x7f || REF_FORBIDDEN.indexOf(c) >= 0) {
                return "no spaces, control characters or any of ~ ^ : ? * [ \\";
            }
        }
        if (ref.contains("..")) {
            return "no '..'";
        }
        if (ref.contains("@{")) {
            return "no '@{'";
        }
        if (ref.startsWith("/") || ref.endsWith("/") || ref.contains("//")) {
            return "no leading, trailing or double '/'";
        }
        if (ref.endsWith(".")) {
            return "it must not end with '.'";
        }
        for (String component : ref.split("/")) {
            if (component.startsWith(".")) {
                return "no part may start with '.'";
            }
            if (component.endsWith(".lock")) {
                return "no part may end with '.lock'";
            }
        }
        return null;
    }

    private static String abbreviate(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "…" : value;
    }
}
