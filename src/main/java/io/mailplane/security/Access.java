package io.mailplane.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares who may call a resource method (or every method of a class). Every endpoint
 * outside {@code /q} carries it or {@code @PermitAll}; {@link AccessFilter} denies the rest.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Access {
    Scheme value();
}
