package io.mailplane.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares who may call a resource method (or every method of a class) and which path parameter,
 * if any, names the context it works in. Every endpoint outside {@code /q} carries it or
 * {@code @PermitAll}; {@link AccessFilter} denies the rest.
 *
 * <p>The tenant boundary is declared, never guessed: {@link AccessFilter} resolves the context
 * named by {@link #context()} once, before the resource runs, and answers 404 when the caller may
 * not see it. {@link AccessDeclarations} refuses to start the service when a path parameter that
 * names a context is not declared here (or a declared one is not on the path).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Access {
    /** The path parameter that conventionally names a context, by id or name. */
    String CONTEXT_ID = "contextid";

    Scheme value();

    /** The path parameter naming the context this endpoint works in (by id or name); empty when none. */
    String context() default "";
}
