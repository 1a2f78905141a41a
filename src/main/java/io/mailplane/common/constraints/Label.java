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
 * A display name: no control characters, well-formed UTF-16 (the database would store an
 * unpaired surrogate as {@code ?}); {@code null} is valid (combine with {@code @NotNull} where required).
 */
@Documented
@Constraint(validatedBy = {})
@Size(min = 1, max = 255)
@Pattern(regexp = "[^\\p{Cc}]*")
@WellFormed
@ReportAsSingleViolation
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Label {
    String message() default "must be 1-255 characters without control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
