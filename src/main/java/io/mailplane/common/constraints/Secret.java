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
 * A password: 8-128 characters, no control characters, and well-formed UTF-16 (an unpaired
 * surrogate would hash like {@code ?}, so two passwords would be one); {@code null} is valid
 * (combine with {@code @NotNull} where required).
 */
@Documented
@Constraint(validatedBy = {})
@Size(min = 8, max = 128)
@Pattern(regexp = "[^\\p{Cc}]*")
@WellFormed
@ReportAsSingleViolation
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Secret {
    String message() default "must be 8-128 characters without control characters or unpaired surrogates";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
