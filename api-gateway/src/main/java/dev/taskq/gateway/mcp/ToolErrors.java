package dev.taskq.gateway.mcp;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** Turns what a tool throws into a tool error ({@code isError: true}) carrying the REST API's problem detail. */
@InterceptorBinding
@Retention(RUNTIME)
@Target({TYPE, METHOD})
@interface ToolErrors {}
