package dev.taskq.gateway.api;

import java.util.List;

/** One page of the audit log, newest first; pass {@code nextCursor} back as {@code cursor} for the next, until it is null. */
public record AuditPage(List<AuditEntryView> items, String nextCursor) {}
