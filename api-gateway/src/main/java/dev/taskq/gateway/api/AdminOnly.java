package dev.taskq.gateway.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A REST operation only callers with the admin role may call ({@link AdminOnlyFilter} answers others 403); which
 * roles a caller has is the {@link dev.taskq.gateway.domain.CallerRoles} bean's to say.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AdminOnly {}
