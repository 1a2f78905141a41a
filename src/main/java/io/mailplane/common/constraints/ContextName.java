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

/** A context name; {@code null} is valid (combine with {@code @NotNull} where required). */
@Documented
@Constraint(validatedBy = {})
@Size(min = 1, max = ContextName.MAX)
@Pattern(regexp = "(?=.*[^0-9])[A-Za-z0-9][A-Za-z0-9._-]{0," + (ContextName.MAX - 1) + "}")
@ReportAsSingleViolation
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface ContextName {
    /** The longest context name. */
    int MAX = 128;

    String message() default "must be 1-128 characters of letters, digits and . _ -, not only digits";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
