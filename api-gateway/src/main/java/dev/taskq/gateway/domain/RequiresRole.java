package dev.taskq.gateway.domain;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The role a REST resource method (or every method of a class) or an MCP tool needs. Without it a REST GET needs viewer
 * and any other method submitter; an MCP tool needs submitter (see {@link Role#requiredBy}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresRole {
    Role value();
}
