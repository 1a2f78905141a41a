package io.mailplane.common.constraints;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A login name (ASCII, so never an unpaired surrogate); {@code null} is valid (combine with
 * {@code @NotNull} where required).
 */
@Documented
@Constraint(validatedBy = {})
@Size(min = 1, max = Login.MAX)
@Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._@+-]{0," + (Login.MAX - 1) + "}")
@ReportAsSingleViolation
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Login {
    /** The longest login. */
    int MAX = 128;
    /**
     * The longest name anyone signs in with: a context admin's {@code login@contextName}. Every
     * column that stores who signed in (the audit log's actor) holds this many characters.
     */
    int MAX_SIGN_IN = MAX + 1 + ContextName.MAX;

    String message() default "must be 1-128 characters of letters, digits and . _ @ + -";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
